"""Report reads beyond the summary: overdue and stale lists, recent activity, weekly status
counts rebuilt from history, indicators against targets, and what changed between two days.
Each is one statement (the trend: one for all its weeks)."""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import DateTime, Select, and_, exists, func, literal, select, union_all
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement

from app.core.time import as_utc
from app.extensions import db
from app.items import workflow
from app.items.models import Indicator, Item, Measurement, StatusUpdate
from app.items.queries import ItemFilters, apply_filters
from app.reports.arguments import check_since
from app.reports.state import Moment, end_of_day, item_state
from app.stakeholders.models import Organisation

LIST_LIMIT = 50
ACTIVITY_LIMIT = 10
TREND_WEEKS = 26


def _lead(row: Any) -> dict[str, Any]:
    return {"id": row.lead_id, "acronym": row.lead_acronym, "name": row.lead_name}


def _joined_lead(state: Any) -> tuple[Any, list[Any]]:
    lead = aliased(Organisation)
    return lead, [lead.acronym.label("lead_acronym"), lead.name.label("lead_name")]


def overdue_items(
    filters: ItemFilters, moment: Moment, stale_days: int, limit: int | None = LIST_LIMIT
) -> list[dict[str, Any]]:
    """Open items past their due date, the longest overdue first, with days late."""
    state = item_state(filters, moment, stale_days)
    lead, lead_cols = _joined_lead(state)
    stmt = (
        select(state, *lead_cols)
        .join(lead, lead.id == state.c.lead_id)
        .where(state.c.overdue == 1)
        .order_by(state.c.due_date, state.c.id)
        .limit(limit)
    )
    return [
        {
            "id": r.id,
            "code": r.code,
            "kind": r.kind,
            "title": r.title,
            "status": r.status,
            "progress": r.progress,
            "lead": _lead(r),
            "due_date": r.due_date,
            "days_late": (moment.day - r.due_date).days,
        }
        for r in db.session.execute(stmt)
    ]


def stale_items(
    filters: ItemFilters, moment: Moment, stale_days: int, limit: int | None = LIST_LIMIT
) -> list[dict[str, Any]]:
    """Open items without a status update for ``stale_days``, the oldest first; an item never
    updated counts from its creation (``never_updated``)."""
    state = item_state(filters, moment, stale_days)
    lead, lead_cols = _joined_lead(state)
    updated = exists().where(StatusUpdate.item_id == state.c.id)
    if moment.end is not None:
        updated = updated.where(StatusUpdate.created_at < moment.end)
    stmt = (
        select(state, *lead_cols, updated.label("ever_updated"))
        .join(lead, lead.id == state.c.lead_id)
        .where(state.c.stale == 1)
        .order_by(state.c.last_update_at, state.c.id)
        .limit(limit)
    )
    out = []
    for r in db.session.execute(stmt):
        last = as_utc(r.last_update_at)
        out.append(
            {
                "id": r.id,
                "code": r.code,
                "kind": r.kind,
                "title": r.title,
                "status": r.status,
                "progress": r.progress,
                "lead": _lead(r),
                "last_update_at": last,
                "never_updated": not r.ever_updated,
                "days_silent": (moment.now - last).days,
                "days_late": (moment.now - last).days - stale_days,
            }
        )
    return out


def recent_activity(
    filters: ItemFilters, moment: Moment, stale_days: int, limit: int = ACTIVITY_LIMIT
) -> list[dict[str, Any]]:
    """The latest status updates on the matching items, up to the report's moment."""
    from app.auth.models import User

    state = item_state(filters, moment, stale_days)
    stmt = (
        select(
            StatusUpdate.id,
            StatusUpdate.created_at,
            StatusUpdate.from_status,
            StatusUpdate.to_status,
            StatusUpdate.from_progress,
            StatusUpdate.progress,
            StatusUpdate.note,
            state.c.id.label("item_id"),
            state.c.title,
            User.name.label("author"),
        )
        .join(state, state.c.id == StatusUpdate.item_id)
        .outerjoin(User, User.id == StatusUpdate.author_id)
        .order_by(StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
        .limit(limit)
    )
    if moment.end is not None:
        stmt = stmt.where(StatusUpdate.created_at < moment.end)
    return [
        {
            "id": r.id,
            "at": as_utc(r.created_at),
            "item_id": r.item_id,
            "title": r.title,
            "from_status": r.from_status,
            "to_status": r.to_status,
            "from_progress": r.from_progress,
            "progress": r.progress,
            "note": r.note,
            "author": r.author,
        }
        for r in db.session.execute(stmt)
    ]


def week_ends(moment: Moment, weeks: int = TREND_WEEKS) -> list[date]:
    """The last day of each of the ``weeks`` weeks (Monday to Sunday) up to the report's day;
    the last entry is the report's day itself."""
    last = moment.day
    sunday = last - timedelta(days=(last.weekday() + 1) % 7)
    days = [sunday - timedelta(weeks=k) for k in range(weeks - 1, 0, -1)]
    if sunday != last:
        days.append(sunday)
    days.append(last)
    return days[-weeks:]


@dataclass
class Trend:
    """Status counts at the end of each week, from the first week with data."""

    days: list[date]
    counts: dict[str, list[int]]  # status → one count per day

    @property
    def is_line(self) -> bool:
        """Two weeks or more: enough to draw a line."""
        return len(self.days) >= 2

    def rows(self) -> list[tuple[date, dict[str, int]]]:
        return [
            (d, {s: self.counts[s][i] for s in workflow.STATUSES}) for i, d in enumerate(self.days)
        ]


def weekly_trend(
    filters: ItemFilters, moment: Moment, stale_days: int, weeks: int = TREND_WEEKS
) -> Trend:
    """Status counts at the end of each of the last ``weeks`` weeks. The trend starts when the
    data does: the weeks before the first one with a matching item are left out, so the time
    before the items were entered does not read as six months at zero.

    Counted from the status changes (two grouped passes, ``_counts_from_changes``) unless a
    filter depends on the week (lead, overdue, stale, response): then each week's state is
    rebuilt from history (``_counts_by_replay``, one statement but a rebuild per week). Both
    give the same counts (tests/reports/test_trend.py)."""
    days = week_ends(moment, weeks)
    if _counted_from_changes(filters):
        counts = _counts_from_changes(filters, days)
    else:
        counts = _counts_by_replay(filters, moment, stale_days, days)
    totals = [sum(counts[s][i] for s in workflow.STATUSES) for i in range(len(days))]
    start = next((i for i, total in enumerate(totals) if total), len(days))
    return Trend(days[start:], {s: values[start:] for s, values in counts.items()})


def _counted_from_changes(filters: ItemFilters) -> bool:
    """Whether the filters hold the same items every week (the kind, themes, owner and text
    are today's in every report), so that counting status changes answers the trend."""
    return not (
        filters.lead or filters.overdue is not None or filters.stale is not None or filters.response
    )


def _day(column: Any) -> Any:
    """The UTC day of a timestamp column."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("UTC", column))
    return func.substr(column, 1, 10)  # 'YYYY-MM-DD HH:MM:SS', UTC: cheaper than date()


def _counts_from_changes(filters: ItemFilters, days: list[date]) -> dict[str, list[int]]:
    """Each week's status counts as the items created by the week's end plus the changes
    made before it: an item counts from its creation as not started (``create_item`` makes
    every item so), then every update moves it from ``from_status`` to ``to_status``, as the
    workflow records each one. Two grouped statements by day, whatever the number of weeks,
    instead of rebuilding every item once per week."""
    end = end_of_day(days[-1])
    matching = apply_filters(select(Item.id), replace(filters, status=None))
    created = _day(Item.created_at)
    items = (
        apply_filters(select(created, func.count()), replace(filters, status=None))
        .where(Item.created_at < end)
        .group_by(created)
    )
    changed = _day(StatusUpdate.created_at)
    updates = (
        select(changed, StatusUpdate.from_status, StatusUpdate.to_status, func.count())
        .where(
            StatusUpdate.created_at < end,
            StatusUpdate.from_status != StatusUpdate.to_status,
        )
        .group_by(changed, StatusUpdate.from_status, StatusUpdate.to_status)
    )
    if matching.whereclause is not None:  # a filter: only the matching items' changes
        updates = updates.where(StatusUpdate.item_id.in_(matching.scalar_subquery()))
    # Per day, the change in each status's count; then a running sum read at each week's end.
    delta: dict[date, dict[str, int]] = {}
    for day, count in db.session.execute(items):
        moves = delta.setdefault(_as_day(day), dict.fromkeys(workflow.STATUSES, 0))
        moves[workflow.NOT_STARTED] += count
    for day, from_status, to_status, count in db.session.execute(updates):
        moves = delta.setdefault(_as_day(day), dict.fromkeys(workflow.STATUSES, 0))
        moves[from_status] -= count
        moves[to_status] += count
    counts = {s: [0] * len(days) for s in workflow.STATUSES}
    running = dict.fromkeys(workflow.STATUSES, 0)
    changes = sorted(delta.items())
    position = 0
    for index, week_end in enumerate(days):
        while position < len(changes) and changes[position][0] <= week_end:
            for status, count in changes[position][1].items():
                running[status] += count
            position += 1
        for status in workflow.STATUSES:
            counts[status][index] = running[status]
    if filters.status:
        counts = {s: v if s == filters.status else [0] * len(days) for s, v in counts.items()}
    return counts


def _as_day(value: Any) -> date:
    """A day from the database: a date (PostgreSQL) or 'YYYY-MM-DD' text (SQLite)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def _counts_by_replay(
    filters: ItemFilters, moment: Moment, stale_days: int, days: list[date]
) -> dict[str, list[int]]:
    """Each week's status counts, every item's state rebuilt at each week's end in one
    statement (the weeks are a small inline table)."""
    day_type = DateTime(timezone=True)
    ends = union_all(
        *(
            select(
                literal(end_of_day(d), day_type).label("week_end"), literal(i).label("week_index")
            )
            for i, d in enumerate(days)
        )
    ).subquery("weeks")
    # Each week's state depends on its end: the same reconstruction, correlated to the week.
    state = item_state(
        filters,
        Moment(moment.day, moment.now, end_of_day(moment.day)),
        stale_days,
        end=ends.c.week_end,
        extra_columns=(ends.c.week_index,),
    )
    stmt = select(state.c.week_index, state.c.status, func.count()).group_by(
        state.c.week_index, state.c.status
    )
    counts = {s: [0] * len(days) for s in workflow.STATUSES}
    for index, status, count in db.session.execute(stmt):
        counts[status][int(index)] = count
    return counts


def indicators(filters: ItemFilters, moment: Moment, stale_days: int) -> list[dict[str, Any]]:
    """Indicators of the matching items with their latest value up to the report's day and
    the share of the way from baseline to target."""
    state = item_state(filters, moment, stale_days)
    latest = (
        select(Measurement.id)
        .where(Measurement.indicator_id == Indicator.id, Measurement.measured_on <= moment.day)
        .order_by(Measurement.measured_on.desc())
        .limit(1)
        .correlate(Indicator)
        .scalar_subquery()
    )
    stmt = (
        select(
            Indicator.id,
            Indicator.code,
            Indicator.name,
            Indicator.unit,
            Indicator.baseline_value,
            Indicator.baseline_date,
            Indicator.target_value,
            Indicator.target_date,
            state.c.id.label("item_id"),
            state.c.title.label("item_title"),
            Measurement.value,
            Measurement.measured_on,
        )
        .join(state, state.c.id == Indicator.item_id)
        .outerjoin(Measurement, Measurement.id == latest)
        .order_by(state.c.id, Indicator.id)
    )
    out = []
    for r in db.session.execute(stmt):
        share = None
        if r.value is not None and r.target_value is not None:
            base = r.baseline_value if r.baseline_value is not None else 0.0
            span = r.target_value - base
            share = 1.0 if span == 0 else max(0.0, min(1.0, (r.value - base) / span))
        out.append(
            {
                "id": r.id,
                "code": r.code,
                "name": r.name,
                "unit": r.unit,
                "baseline_value": r.baseline_value,
                "baseline_date": r.baseline_date,
                "target_value": r.target_value,
                "target_date": r.target_date,
                "item_id": r.item_id,
                "item_title": r.item_title,
                "value": r.value,
                "measured_on": r.measured_on,
                "share": share,
            }
        )
    return out


CHANGE_FIELDS = ("status", "progress", "lead", "due_date")


def state_before(since: date, stale_days: int) -> Any:
    """Every item as it stood at the end of ``since``, to compare with (no filter: an item
    that moved into the selection has changed)."""
    return item_state(ItemFilters(), Moment.at(since), stale_days, name="before_state")


def changed_condition(before: Any, after: Any) -> ColumnElement[bool]:
    """True when an item is new since ``before`` or its status, progress, lead or due date
    differ between the two states (outer-joined on the id)."""
    return (
        (before.c.id.is_(None))
        | (before.c.status != after.c.status)
        | (before.c.progress != after.c.progress)
        | (before.c.lead_id != after.c.lead_id)
        | and_(before.c.due_date.is_(None), after.c.due_date.is_not(None))
        | and_(before.c.due_date.is_not(None), after.c.due_date.is_(None))
        | (before.c.due_date != after.c.due_date)
    )


def _changed_items(filters: ItemFilters, since: date, moment: Moment, stale_days: int) -> Select:
    """The items whose status, progress, lead or due date differ between the end of
    ``since`` and ``moment`` (or that are new), with both states side by side."""
    after = item_state(filters, moment, stale_days)
    before = state_before(since, stale_days)
    lead_to, lead_from = aliased(Organisation), aliased(Organisation)
    changed = changed_condition(before, after)
    return (
        select(
            after.c.id,
            after.c.code,
            after.c.title,
            after.c.kind,
            after.c.status,
            after.c.progress,
            after.c.due_date,
            lead_to.acronym.label("lead_to"),
            before.c.id.label("before_id"),
            before.c.status.label("status_from"),
            before.c.progress.label("progress_from"),
            before.c.due_date.label("due_date_from"),
            lead_from.acronym.label("lead_from"),
        )
        .join(lead_to, lead_to.id == after.c.lead_id)
        .outerjoin(before, before.c.id == after.c.id)
        .outerjoin(lead_from, lead_from.id == before.c.lead_id)
        .where(changed)
        .order_by(after.c.id)
    )


def _change(row: Any) -> dict[str, Any]:
    """An item's changed fields as ``{field: {"from", "to"}}`` (every field of a new one)."""
    new = row.before_id is None
    pairs = {
        "status": (None if new else row.status_from, row.status),
        "progress": (None if new else row.progress_from, row.progress),
        "lead": (None if new else row.lead_from, row.lead_to),
        "due_date": (None if new else row.due_date_from, row.due_date),
    }
    return {
        "id": row.id,
        "code": row.code,
        "title": row.title,
        "kind": row.kind,
        "new": new,
        "changes": {k: {"from": a, "to": b} for k, (a, b) in pairs.items() if new or a != b},
    }


def changes_between(
    filters: ItemFilters, since: date, moment: Moment, stale_days: int
) -> list[dict[str, Any]]:
    """Items whose status, progress, lead or due date differ between the end of ``since``
    and the report's moment (new items included), with from and to values. The filters
    apply to the later state."""
    check_since(since, moment.day)
    stmt = _changed_items(filters, since, moment, stale_days)
    return [_change(row) for row in db.session.execute(stmt)]
