"""The weekly trend: status counts at the end of each of the last weeks, counted from the
status changes (or, under a filter that changes with the week, rebuilt from history)."""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import DateTime, func, literal, select, union_all

from app.extensions import db
from app.items import workflow
from app.items.models import Item, StatusUpdate
from app.items.queries import ItemFilters, apply_filters
from app.reports.state import Moment, end_of_day, item_state

TREND_WEEKS = 26


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
