"""Report reads beyond the summary: overdue and stale lists, recent activity, indicators
against targets, and what changed between two days, each one statement (the weekly trend is
``app.reports.trend``)."""

from datetime import date
from typing import Any

from sqlalchemy import Select, and_, exists, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement

from app.core.time import as_utc
from app.extensions import db
from app.items.models import Indicator, Measurement, StatusUpdate
from app.items.queries import ItemFilters
from app.reports.arguments import check_since
from app.reports.state import Moment, item_state
from app.stakeholders.models import Organisation

LIST_LIMIT = 50
ACTIVITY_LIMIT = 10


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
