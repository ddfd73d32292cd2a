"""Item state as it stood at the end of a day, rebuilt in SQL from the recorded history.

The state of an item at a moment ``end`` (the end of day D: D+1 at 00:00 UTC):

- it exists when it was created before ``end``;
- its status and progress are the ``from_status`` / ``from_progress`` of its first status
  update at or after ``end`` (what it was before that update), else the current values;
- its last update is its latest status update before ``end``, else its creation;
- its lead and due date are the "old" value of the first audit event at or after ``end`` that
  changed them (``{"lead_id": [old, new]}``), else the current values.

Each of these is a correlated subquery served by an index, so a report is a bounded number of
aggregate statements whatever the number of items. With no date, the live columns are used.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    Integer,
    and_,
    case,
    cast,
    func,
    literal,
    select,
    text,
    type_coerce,
)
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql import ColumnElement

from app.audit.models import AuditEvent, change_condition
from app.core.time import end_of_day, utcnow
from app.extensions import db
from app.items import workflow
from app.items.models import Item, Response, StatusUpdate
from app.items.queries import RESPONSE_NONE, ItemFilters, apply_filters, organisation_id


@dataclass(frozen=True)
class Moment:
    """When a report looks at the data: ``day`` for overdue, ``now`` for stale, ``end`` (None
    when live) for the history."""

    day: date
    now: datetime
    end: datetime | None

    @classmethod
    def at(cls, as_of: date | None) -> "Moment":
        current = utcnow()
        if as_of is None:
            return cls(current.date(), current, None)
        end = end_of_day(as_of)
        return cls(as_of, min(end, current), end)

    @property
    def as_of(self) -> date:
        return self.day


def _is_sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def _as_date(expr):
    """A 'YYYY-MM-DD' text as a DATE (SQLite keeps dates as that text already)."""
    return type_coerce(expr, Date) if _is_sqlite() else cast(expr, Date)


def _first_change(field: str, end):
    """The old value (as text, '' for null) of the first audit change of ``field`` at or
    after ``end``; NULL when there is none. Served by the field's partial index
    (``INDEXED_CHANGES``): only the item's changes of that field are read."""
    changes = AuditEvent.changes
    dialect = db.session.get_bind().dialect.name
    return (
        select(func.coalesce(changes[(field, 0)].as_string(), ""))
        .where(
            AuditEvent.record_id == Item.id,
            AuditEvent.created_at >= end,
            text(change_condition(dialect, "items", field, table="audit_events.")),
        )
        .order_by(AuditEvent.created_at, AuditEvent.id)
        .limit(1)
        .correlate_except(AuditEvent)
        .scalar_subquery()
    )


def _first_update(column, end):
    return (
        select(column)
        .where(StatusUpdate.item_id == Item.id, StatusUpdate.created_at >= end)
        .order_by(StatusUpdate.created_at, StatusUpdate.id)
        .limit(1)
        .correlate_except(StatusUpdate)
        .scalar_subquery()
    )


def state_columns(
    end: ColumnElement | datetime | None,
) -> dict[str, ColumnElement[Any] | QueryableAttribute[Any]]:
    """The time-dependent columns of an item at ``end`` (None: the live columns)."""
    if end is None:
        return {
            "status": Item.status,
            "progress": Item.progress,
            "lead_id": Item.lead_id,
            "due_date": Item.due_date,
            "last_update_at": Item.last_update_at,
        }
    if isinstance(end, datetime):
        end = literal(end, DateTime(timezone=True))
    lead_old = _first_change("lead_id", end)
    due_old = _first_change("due_date", end)
    last_update = (
        select(func.max(StatusUpdate.created_at))
        .where(StatusUpdate.item_id == Item.id, StatusUpdate.created_at < end)
        .correlate_except(StatusUpdate)
        .scalar_subquery()
    )
    return {
        "status": func.coalesce(_first_update(StatusUpdate.from_status, end), Item.status),
        "progress": func.coalesce(_first_update(StatusUpdate.from_progress, end), Item.progress),
        # A lead is never empty, so "no later change" and "changed from" need no CASE.
        "lead_id": func.coalesce(cast(func.nullif(lead_old, ""), Integer), Item.lead_id),
        "due_date": case(
            (due_old.is_(None), Item.due_date), else_=_as_date(func.nullif(due_old, ""))
        ),
        "last_update_at": type_coerce(
            func.coalesce(last_update, Item.created_at), DateTime(timezone=True)
        ),
    }


# Filters that depend on time are applied to the rebuilt state, the others to the item.
_TIMELESS = {"status": None, "lead": None, "overdue": None, "stale": None, "response": None}


def response_at(end: ColumnElement | datetime | None) -> Any:
    """The id of the item's response revision current at ``end`` (None: now): recorded
    before it and not superseded by then."""
    current: ColumnElement[bool] = Response.superseded_at.is_(None)
    condition: ColumnElement[bool]
    if end is None:
        condition = current
    else:
        if isinstance(end, datetime):
            end = literal(end, DateTime(timezone=True))
        condition = and_(Response.created_at < end, current | (Response.superseded_at >= end))
    return (
        select(Response.id)
        .where(Response.item_id == Item.id, condition)
        .limit(1)
        .correlate_except(Response)
        .scalar_subquery()
    )


def item_state(
    filters: ItemFilters,
    moment: Moment,
    stale_days: int,
    *,
    end: ColumnElement | None = None,
    extra_columns=(),
    name: str = "items_state",
):
    """A subquery of the items matching ``filters`` as they stood at ``moment``: columns id,
    kind, code, title, priority, owner_id, created_at, status, progress, lead_id, due_date,
    last_update_at, response_id, overdue, stale and done (implemented or verified) as 1 or 0,
    and the response's ``response`` (position) and ``response_date``.

    ``end`` may be a column (the trend gives one per week); otherwise ``moment.end``.
    """
    end_expr = end if end is not None else moment.end
    columns = state_columns(end_expr)
    inner = select(
        Item.id,
        Item.kind,
        Item.code,
        Item.title,
        Item.priority,
        Item.owner_id,
        Item.created_at,
        *(expr.label(name) for name, expr in columns.items()),
        response_at(end_expr).label("response_id"),
        *extra_columns,
    )
    inner = apply_filters(inner, replace(filters, **_TIMELESS))
    if end_expr is not None:
        # OFFSET 0 keeps the rebuilt rows a subquery of their own: merged into the outer
        # query, each rebuilt column's probe ran again wherever the outer query reads it
        # (status in the overdue, stale and done flags and the grouping). Measured at
        # 100,000 items, the summary as of a year ago: 1.5 to 0.7 s on SQLite, 2.0 to 1.2 s
        # on PostgreSQL. Live, the outer filters must reach the items' indexes: no fence.
        inner = inner.where(Item.created_at < end_expr).offset(0)
    sub = inner.subquery(f"{name}_rows")
    return _derive(sub, filters, moment, stale_days).subquery(name)


def _derive(sub, filters: ItemFilters, moment: Moment, stale_days: int):
    open_ = sub.c.status.not_in(workflow.CLOSED_STATUSES)
    overdue = and_(sub.c.due_date.is_not(None), sub.c.due_date < moment.day, open_)
    stale = and_(sub.c.last_update_at < workflow.stale_cutoff(moment.now, stale_days), open_)
    done = sub.c.status.in_(workflow.DONE_STATUSES)
    stmt = select(
        *sub.c,
        case((overdue, 1), else_=0).label("overdue"),
        case((stale, 1), else_=0).label("stale"),
        case((done, 1), else_=0).label("done"),
        Response.position.label("response"),
        Response.responded_on.label("response_date"),
    ).outerjoin(Response, Response.id == sub.c.response_id)
    if filters.status:
        stmt = stmt.where(sub.c.status == filters.status)
    if filters.lead:
        org_id = organisation_id(filters.lead)
        stmt = stmt.where(sub.c.lead_id == (org_id if org_id is not None else -1))
    if filters.overdue is not None:
        stmt = stmt.where(overdue if filters.overdue else ~overdue)
    if filters.stale is not None:
        stmt = stmt.where(stale if filters.stale else ~stale)
    if filters.response == RESPONSE_NONE:
        stmt = stmt.where(sub.c.response_id.is_(None))
    elif filters.response:
        stmt = stmt.where(Response.position == filters.response)
    return stmt


__all__ = ["Moment", "end_of_day", "item_state", "state_columns"]
