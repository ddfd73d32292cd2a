"""What a report tells beyond figures: the blocked items with the reason given when they were
blocked, the verified items with who verified them and their evidence, the updates of a
period with their notes and authors. One statement each, whatever the number of items."""

from datetime import date
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.core.time import as_utc
from app.extensions import db
from app.items import workflow
from app.items.models import Evidence, StatusUpdate
from app.items.queries import ItemFilters
from app.reports.rows import update_rows
from app.reports.state import Moment, item_state
from app.stakeholders.models import Organisation


def _entering(status: str, moment: Moment, state) -> Any:
    """The id of the latest update that moved the item into ``status`` before the moment."""
    stmt = select(StatusUpdate.id).where(
        StatusUpdate.item_id == state.c.id,
        StatusUpdate.to_status == status,
        StatusUpdate.from_status != status,
    )
    if moment.end is not None:
        stmt = stmt.where(StatusUpdate.created_at < moment.end)
    return (
        stmt.order_by(StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
        .limit(1)
        .correlate(state)
        .scalar_subquery()
    )


def _in_status(
    status: str, filters: ItemFilters, moment: Moment, stale_days: int, limit: int
) -> tuple[Select, Any]:
    """The statement of the items in ``status`` at the moment with the update that put them
    there (its date, author and note), and the columns to add."""
    state = item_state(filters, moment, stale_days)
    lead, update, author = aliased(Organisation), aliased(StatusUpdate), aliased(User)
    stmt = (
        select(
            state.c.id,
            state.c.code,
            state.c.title,
            lead.acronym.label("lead"),
            update.created_at.label("since_at"),
            update.note.label("note"),
            author.name.label("author"),
        )
        .join(lead, lead.id == state.c.lead_id)
        .outerjoin(update, update.id == _entering(status, moment, state))
        .outerjoin(author, author.id == update.author_id)
        .where(state.c.status == status)
        .order_by(update.created_at.is_(None), update.created_at, state.c.id)
        .limit(limit)
    )
    return stmt, state


def _entries(stmt) -> list[dict[str, Any]]:
    out = []
    for row in db.session.execute(stmt):
        entry = dict(row._mapping)
        entry["since_at"] = as_utc(entry["since_at"])
        out.append(entry)
    return out


def blocked_items(
    filters: ItemFilters, moment: Moment, stale_days: int, limit: int
) -> list[dict[str, Any]]:
    """Items blocked at the moment, the longest blocked first: code, title, lead, since_at
    (when they were blocked), note (the reason then given) and author."""
    stmt, _state = _in_status(workflow.BLOCKED, filters, moment, stale_days, limit)
    return _entries(stmt)


def verified_items(
    filters: ItemFilters, moment: Moment, stale_days: int, limit: int
) -> list[dict[str, Any]]:
    """Items verified at the moment, in the order they were verified: code, title, lead,
    since_at (verified on), note, author (who verified) and evidence (how many pieces of
    evidence were attached by then)."""
    stmt, state = _in_status(workflow.VERIFIED, filters, moment, stale_days, limit)
    evidence = select(func.count(Evidence.id)).where(Evidence.item_id == state.c.id)
    if moment.end is not None:
        evidence = evidence.where(
            Evidence.created_at < moment.end,
            or_(Evidence.withdrawn_at.is_(None), Evidence.withdrawn_at >= moment.end),
        )
    else:
        evidence = evidence.where(Evidence.withdrawn_at.is_(None))
    stmt = stmt.add_columns(evidence.correlate(state).scalar_subquery().label("evidence"))
    return _entries(stmt)


def period_updates(
    filters: ItemFilters, moment: Moment, stale_days: int, since: date, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """The status updates after the end of ``since`` up to the moment, oldest first (the
    first ``limit``), and how many there are in all."""
    stmt = update_rows(filters, moment, stale_days, since)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = []
    for row in db.session.execute(stmt.limit(limit)):
        entry = dict(row._mapping)
        entry["created_at"] = as_utc(entry["created_at"])
        rows.append(entry)
    return rows, int(total or 0)
