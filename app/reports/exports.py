"""Status exports: CSV streamed row by row, XLSX in openpyxl's write-only mode, PDF through
WeasyPrint. All take the item list's filters and a day to look back to; each export is
recorded in the audit trail by ``record_export``."""

import csv
import io
import os
import tempfile
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
    supporter = aliased(Organisation)
    supporting = (
        select(func.aggregate_strings(supporter.acronym, "; "))
        .select_from(item_supporters)
        .join(supporter, supporter.id == item_supporters.c.organisation_id)
        .where(item_supporters.c.item_id == state.c.id)
        .correlate(state)
        .scalar_subquery()
    )
    note = (
        select(StatusUpdate.note)
        .where(StatusUpdate.item_id == state.c.id, StatusUpdate.note != "")
        .order_by(StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
        .limit(1)
        .correlate(state)
    )
    if moment.end is not None:
        note = note.where(StatusUpdate.created_at < moment.end)
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
        supporting.label("supporting"),
        state.c.due_date,
        state.c.overdue,
        state.c.stale,
        state.c.last_update_at,
        note.scalar_subquery().label("last_note"),
    ).join(lead, lead.id == state.c.lead_id)
    if per_lead is not None:
        # The items that most need attention first: overdue, then open, soonest due.
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
        return (
            select(ranked).where(ranked.c.rank <= per_lead).order_by(ranked.c.lead, ranked.c.rank)
        )
    if order == "lead":
        return stmt.order_by(lead.acronym, state.c.id)
    return stmt.order_by(state.c.id)


def stream(stmt: Select):
    """Execute ``stmt`` fetching rows in batches (a server-side cursor on PostgreSQL)."""
    return db.session.execute(stmt.execution_options(yield_per=STREAM_BATCH))


def _safe(text: str | None) -> str:
    """A text cell a spreadsheet will not run as a formula."""
    text = text or ""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _supporting(value: str | None) -> str:
    return "; ".join(sorted(filter(None, (value or "").split("; "))))


def _last_update(row) -> date | None:
    value = as_utc(row.last_update_at)
    return value.date() if value else None


def _item_url(base_url: str, item_id: int) -> str:
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
        last = _last_update(row)
        yield line(
            (
                row.id,
                row.kind,
                _safe(row.title),
                row.status,
                row.progress,
                row.lead,
                _supporting(row.supporting),
                row.due_date.isoformat() if row.due_date else "",
                "yes" if row.overdue else "no",
                last.isoformat() if last else "",
                _safe(row.last_note),
                _item_url(base_url, row.id),
            )
        )


# --- XLSX --------------------------------------------------------------------------------------

ITEM_WIDTHS = (8, 15, 60, 18, 10, 14, 24, 12, 9, 12, 50, 36)
UPDATE_WIDTHS = (18, 8, 50, 18, 18, 12, 10, 24, 60)


def write_xlsx(
    path: str,
    filters: ItemFilters,
    as_of: date | None,
    stale_days: int,
    base_url: str = "",
    summary: dict[str, Any] | None = None,
) -> None:
    """Write the XLSX export to ``path``: sheets Summary, Items and Updates, typed cells,
    frozen header rows, autofilters, set widths; rows are streamed from the database."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from app.reports.summary import build_summary

    moment = Moment.at(as_of)
    summary = summary or build_summary(filters, as_of, stale_days)
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE6F0")
    wrap = Alignment(wrap_text=True, vertical="top")

    def header(ws, names):
        cells = []
        for name in names:
            cell = WriteOnlyCell(ws, value=name)
            cell.font, cell.fill = bold, header_fill
            cells.append(cell)
        ws.append(cells)

    def widths(ws, values):
        for i, width in enumerate(values, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width

    def dated(ws, value, fmt="yyyy-mm-dd"):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = fmt
        return cell

    # Summary
    ws = wb.create_sheet("Summary")
    widths(ws, (34, 12, 14, 12))
    title = WriteOnlyCell(ws, value="Suivi — status report")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    ws.append(["As of", dated(ws, moment.day)])
    ws.append(
        [
            "Exported at (UTC)",
            dated(ws, utcnow().replace(tzinfo=None, microsecond=0), "yyyy-mm-dd hh:mm"),
        ]
    )
    ws.append(["Filters", "; ".join(f"{k}={v}" for k, v in filters.as_args().items()) or "none"])
    ws.append(["Items", summary["total"]])
    ws.append(["Overdue", summary["overdue"]])
    ws.append([f"Stale (no update for {stale_days} days)", summary["stale"]])
    ws.append([])
    header(ws, ("Status", "Items"))
    for status, count in summary["by_status"].items():
        ws.append([status, count])
    ws.append([])
    header(ws, ("Lead organisation", "Items", "Implemented or verified", "Overdue"))
    for entry in summary["by_lead"]:
        share = WriteOnlyCell(ws, value=entry["share_done"])
        share.number_format = "0%"
        ws.append([entry["organisation"]["acronym"], entry["count"], share, entry["overdue"]])

    # Items
    ws = wb.create_sheet("Items")
    ws.freeze_panes = "A2"
    widths(ws, ITEM_WIDTHS)
    header(ws, COLUMNS)
    n = 0
    for row in stream(item_rows(filters, moment, stale_days)):
        note = WriteOnlyCell(ws, value=_safe(row.last_note))
        note.alignment = wrap
        ws.append(
            [
                row.id,
                row.kind,
                _safe(row.title),
                row.status,
                row.progress,
                row.lead,
                _supporting(row.supporting),
                dated(ws, row.due_date) if row.due_date else None,
                bool(row.overdue),
                dated(ws, _last_update(row)),
                note,
                _item_url(base_url, row.id),
            ]
        )
        n += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{n + 1}"

    # Updates
    ws = wb.create_sheet("Updates")
    ws.freeze_panes = "A2"
    widths(ws, UPDATE_WIDTHS)
    header(ws, UPDATE_COLUMNS)
    n = 0
    for row in stream(update_rows(filters, moment, stale_days)):
        ws.append(
            [
                dated(
                    ws,
                    as_utc(row.created_at).replace(tzinfo=None, microsecond=0),
                    "yyyy-mm-dd hh:mm",
                ),
                row.item_id,
                _safe(row.title),
                row.from_status,
                row.to_status,
                row.from_progress,
                row.progress,
                row.author or "",
                _safe(row.note),
            ]
        )
        n += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(UPDATE_COLUMNS))}{n + 1}"
    wb.save(path)


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


def xlsx_bytes(*args, **kwargs) -> bytes:
    """The XLSX export in memory (the workbook itself is streamed to a temporary file)."""
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        write_xlsx(path, *args, **kwargs)
        with open(path, "rb") as handle:
            return handle.read()
    finally:
        os.unlink(path)
