"""The XLSX export, in openpyxl's write-only mode: sheets Summary, Items and Updates, with
rows streamed from the database (openpyxl is imported when a workbook is written)."""

import os
import tempfile
from collections.abc import Iterable
from datetime import date
from typing import Any

from app.core.time import as_utc, utcnow
from app.items.queries import ItemFilters
from app.reports.exports import (
    COLUMNS,
    UPDATE_COLUMNS,
    item_rows,
    item_url,
    last_update_day,
    safe_text,
    stream,
    supporting_list,
    update_rows,
)
from app.reports.state import Moment

ITEM_WIDTHS = (8, 15, 60, 18, 10, 14, 24, 12, 9, 12, 50, 36)
UPDATE_WIDTHS = (18, 8, 50, 18, 18, 12, 10, 24, 60)


class _Sheet:
    """A write-only worksheet with set widths, Suivi's header style and typed cells."""

    def __init__(self, wb: Any, title: str, widths: tuple[int, ...], frozen: bool) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font, PatternFill
        from openpyxl.utils import get_column_letter

        self.ws = wb.create_sheet(title)
        if frozen:
            self.ws.freeze_panes = "A2"
        for i, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        self._cell, self._letter = WriteOnlyCell, get_column_letter
        self._header_font = Font(bold=True)
        self._header_fill = PatternFill("solid", fgColor="DDE6F0")
        self.rows = 0  # rows appended after the header

    def cell(self, value: Any, **style: Any) -> Any:
        """A cell with ``style`` attributes (font, alignment, number_format)."""
        cell = self._cell(self.ws, value=value)
        for key, setting in style.items():
            setattr(cell, key, setting)
        return cell

    def dated(self, value: Any, fmt: str = "yyyy-mm-dd") -> Any:
        return self.cell(value, number_format=fmt)

    def header(self, names: Iterable[str]) -> None:
        font, fill = self._header_font, self._header_fill
        self.ws.append([self.cell(name, font=font, fill=fill) for name in names])

    def append(self, values: list[Any]) -> None:
        self.ws.append(values)
        self.rows += 1

    def filter_rows(self, columns: int) -> None:
        """An autofilter over the header and the rows appended after it."""
        self.ws.auto_filter.ref = f"A1:{self._letter(columns)}{self.rows + 1}"


def _summary_sheet(
    wb: Any, filters: ItemFilters, moment: Moment, stale_days: int, summary: dict[str, Any]
) -> None:
    from openpyxl.styles import Font

    sheet = _Sheet(wb, "Summary", (34, 12, 14, 12), frozen=False)
    exported = utcnow().replace(tzinfo=None, microsecond=0)
    for values in (
        [sheet.cell("Suivi — status report", font=Font(bold=True, size=14))],
        ["As of", sheet.dated(moment.day)],
        ["Exported at (UTC)", sheet.dated(exported, "yyyy-mm-dd hh:mm")],
        ["Filters", "; ".join(f"{k}={v}" for k, v in filters.as_args().items()) or "none"],
        ["Items", summary["total"]],
        ["Overdue", summary["overdue"]],
        [f"Stale (no update for {stale_days} days)", summary["stale"]],
        [],
    ):
        sheet.append(values)
    sheet.header(("Status", "Items"))
    for status, count in summary["by_status"].items():
        sheet.append([status, count])
    sheet.append([])
    sheet.header(("Lead organisation", "Items", "Implemented or verified", "Overdue"))
    for entry in summary["by_lead"]:
        share = sheet.cell(entry["share_done"], number_format="0%")
        sheet.append([entry["organisation"]["acronym"], entry["count"], share, entry["overdue"]])


def _items_sheet(wb: Any, rows: Iterable[Any], base_url: str) -> None:
    from openpyxl.styles import Alignment

    sheet = _Sheet(wb, "Items", ITEM_WIDTHS, frozen=True)
    sheet.header(COLUMNS)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(
            [
                row.id,
                row.kind,
                safe_text(row.title),
                row.status,
                row.progress,
                row.lead,
                supporting_list(row.supporting),
                sheet.dated(row.due_date) if row.due_date else None,
                bool(row.overdue),
                sheet.dated(last_update_day(row)),
                sheet.cell(safe_text(row.last_note), alignment=wrap),
                item_url(base_url, row.id),
            ]
        )
    sheet.filter_rows(len(COLUMNS))


def _updates_sheet(wb: Any, rows: Iterable[Any]) -> None:
    sheet = _Sheet(wb, "Updates", UPDATE_WIDTHS, frozen=True)
    sheet.header(UPDATE_COLUMNS)
    for row in rows:
        created = as_utc(row.created_at).replace(tzinfo=None, microsecond=0)
        sheet.append(
            [
                sheet.dated(created, "yyyy-mm-dd hh:mm"),
                row.item_id,
                safe_text(row.title),
                row.from_status,
                row.to_status,
                row.from_progress,
                row.progress,
                row.author or "",
                safe_text(row.note),
            ]
        )
    sheet.filter_rows(len(UPDATE_COLUMNS))


def write_xlsx(
    path: str,
    filters: ItemFilters,
    as_of: date | None,
    stale_days: int,
    base_url: str = "",
    *,
    summary: dict[str, Any] | None = None,
) -> None:
    """Write the XLSX export to ``path``: sheets Summary, Items and Updates, typed cells,
    frozen header rows, autofilters, set widths; rows are streamed from the database."""
    from openpyxl import Workbook

    from app.reports.summary import build_summary

    moment = Moment.at(as_of)
    summary = summary or build_summary(filters, as_of, stale_days)
    wb = Workbook(write_only=True)
    _summary_sheet(wb, filters, moment, stale_days, summary)
    _items_sheet(wb, stream(item_rows(filters, moment, stale_days)), base_url)
    _updates_sheet(wb, stream(update_rows(filters, moment, stale_days)))
    wb.save(path)


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
