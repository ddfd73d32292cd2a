"""Status exports: the rows they show, the CSV streamed row by row (the XLSX is in
``reports.xlsx``, the PDF in ``reports.pdf``). All take the item list's filters and a day to
look back to; each export is recorded in the audit trail by ``record_export``."""

import csv
import io
from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import aliased

from app import audit
from app.auth.models import User
from app.core.time import as_utc, utcnow
from app.extensions import db
from app.items import workflow
from app.items.models import StatusUpdate, item_supporters
from app.items.queries import ItemFilters
from app.reports.state import Moment, item_state
from app.stakeholders.models import Organisation

FORMATS = ("csv", "xlsx", "pdf")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
COLUMNS = (
    "id",
    "kind",
    "title",
    "status",
    "progress",
    "lead",
    "supporting",
    "due_date",
    "overdue",
    "last_update",
    "last_note",
    "url",
)
UPDATE_COLUMNS = (
    "date",
    "item_id",
    "item_title",
    "from_status",
    "to_status",
    "from_progress",
    "progress",
    "author",
    "note",
)
STREAM_BATCH = 500
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def filename(fmt: str, day: date | None = None) -> str:
    """``suivi-status-2026-11-23.pdf``: the date the export was made."""
    return f"suivi-status-{(day or utcnow().date()).isoformat()}.{fmt}"


def record_export(
    fmt: str, filters: ItemFilters, as_of: date | None, since: date | None = None
) -> None:
    """Append "who exported what, with which filters" to the audit trail (the caller has set
    the actor and commits)."""
    changes: dict[str, Any] = {
        "format": fmt,
        "filters": filters.as_args(),
        "as_of": as_of.isoformat() if as_of else None,
    }
    if since is not None:
        changes["since"] = since.isoformat()
    audit.record(db.session, "export", "reports", changes=changes)


def _supporting_acronyms(state: Any) -> Any:
    """The acronyms of an item's supporting organisations, joined by "; "."""
    supporter = aliased(Organisation)
    return (
        select(func.aggregate_strings(supporter.acronym, "; "))
        .select_from(item_supporters)
        .join(supporter, supporter.id == item_supporters.c.organisation_id)
        .where(item_supporters.c.item_id == state.c.id)
        .correlate(state)
        .scalar_subquery()
    )


def _last_note(state: Any, moment: Moment) -> Any:
    """The note of an item's latest status update with one, up to ``moment``."""
    note = (
        select(StatusUpdate.note)
        .where(StatusUpdate.item_id == state.c.id, StatusUpdate.note != "")
        .order_by(StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
        .limit(1)
        .correlate(state)
    )
    if moment.end is not None:
        note = note.where(StatusUpdate.created_at < moment.end)
    return note.scalar_subquery()


def _first_per_lead(stmt: Select, state: Any, per_lead: int) -> Select:
    """``per_lead`` rows per lead organisation: overdue first, then open, soonest due."""
    rank = func.row_number().over(
        partition_by=state.c.lead_id,
        order_by=(
            state.c.overdue.desc(),
            case((state.c.status.in_(workflow.CLOSED_STATUSES), 1), else_=0),
            state.c.due_date.is_(None),
            state.c.due_date,
            state.c.id,
        ),
    )
    ranked = stmt.add_columns(rank.label("rank")).subquery("ranked")
    return select(ranked).where(ranked.c.rank <= per_lead).order_by(ranked.c.lead, ranked.c.rank)


def item_rows(
    filters: ItemFilters,
    moment: Moment,
    stale_days: int,
    order: str = "id",
    per_lead: int | None = None,
) -> Select:
    """One row per matching item as it stood at ``moment``, with what the exports show;
    with ``per_lead``, only that many per lead organisation, those needing attention first."""
    state = item_state(filters, moment, stale_days)
    lead = aliased(Organisation)
    stmt = select(
        state.c.id,
        state.c.code,
        state.c.kind,
        state.c.title,
        state.c.status,
        state.c.progress,
        lead.acronym.label("lead"),
        lead.name.label("lead_name"),
        state.c.lead_id,
        _supporting_acronyms(state).label("supporting"),
        state.c.due_date,
        state.c.overdue,
        state.c.stale,
        state.c.last_update_at,
        _last_note(state, moment).label("last_note"),
    ).join(lead, lead.id == state.c.lead_id)
    if per_lead is not None:
        return _first_per_lead(stmt, state, per_lead)
    if order == "lead":
        return stmt.order_by(lead.acronym, state.c.id)
    return stmt.order_by(state.c.id)


def stream(stmt: Select):
    """Execute ``stmt`` fetching rows in batches (a server-side cursor on PostgreSQL)."""
    return db.session.execute(stmt.execution_options(yield_per=STREAM_BATCH))


def safe_text(text: str | None) -> str:
    """A text cell a spreadsheet will not run as a formula."""
    text = text or ""
    return "'" + text if text.startswith(_FORMULA_START) else text


def supporting_list(value: str | None) -> str:
    return "; ".join(sorted(filter(None, (value or "").split("; "))))


def last_update_day(row) -> date | None:
    value = as_utc(row.last_update_at)
    return value.date() if value else None


def item_url(base_url: str, item_id: int) -> str:
    return f"{base_url.rstrip('/')}/items/{item_id}"


def csv_lines(
    filters: ItemFilters, as_of: date | None, stale_days: int, base_url: str = ""
) -> Iterator[str]:
    """The CSV export as lines: a UTF-8 byte-order mark and the header first, then one line
    per item, fetched in batches so memory stays constant."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield "\ufeff" + line(COLUMNS)
    moment = Moment.at(as_of)
    for row in stream(item_rows(filters, moment, stale_days)):
        last = last_update_day(row)
        yield line(
            (
                row.id,
                row.kind,
                safe_text(row.title),
                row.status,
                row.progress,
                row.lead,
                supporting_list(row.supporting),
                row.due_date.isoformat() if row.due_date else "",
                "yes" if row.overdue else "no",
                last.isoformat() if last else "",
                safe_text(row.last_note),
                item_url(base_url, row.id),
            )
        )


def update_rows(filters: ItemFilters, moment: Moment, stale_days: int) -> Select:
    """The status updates of the matching items up to ``moment``, oldest first."""
    state = item_state(filters, moment, stale_days)
    stmt = (
        select(
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
        .order_by(StatusUpdate.created_at, StatusUpdate.id)
    )
    if moment.end is not None:
        stmt = stmt.where(StatusUpdate.created_at < moment.end)
    return stmt
