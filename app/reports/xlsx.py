"""The XLSX export, in openpyxl's write-only mode: a Summary sheet stating what the workbook
holds (day, comparison day, every filter), the sheet ``Items`` (SPEC's name and contract
columns), a Changes sheet when a comparison day is given, and the Updates sheet. Sheet names,
headers and words are in the current language; every text cell is neutralised."""

from datetime import date, datetime
from typing import Any

from flask_babel import get_locale, gettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from app.core.cells import safe_cell
from app.core.time import as_utc, utcnow
from app.items import workflow
from app.items.labels import response_label, status_label
from app.reports import queries
from app.reports.columns import Column, item_columns
from app.reports.exports import ExportSpec
from app.reports.rows import item_rows, stream, update_rows
from app.reports.summary import build_summary
from app.reports.wording import scope_pairs

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
WRAP = Alignment(wrap_text=True, vertical="top")
LINK = Font(color="0563C1", underline="single")
# Day first in French, ISO otherwise; the spreadsheet keeps real dates either way.
DATE_FORMATS = {"fr": ("dd/mm/yyyy", "dd/mm/yyyy hh:mm")}
ISO_FORMATS = ("yyyy-mm-dd", "yyyy-mm-dd hh:mm")


class Sheet:
    """A write-only sheet with the cell helpers every sheet of the export uses."""

    def __init__(self, workbook: Workbook, name: str, widths: tuple[int, ...] = ()) -> None:
        self.ws = workbook.create_sheet(name)
        self.rows = 0
        self.day_format, self.time_format = DATE_FORMATS.get(str(get_locale()), ISO_FORMATS)
        for i, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = width

    def cell(self, value: Any, kind: str = "text") -> Cell:
        """A typed cell: text neutralised, dates and times as such, links clickable."""
        value = safe_cell(value)
        cell = WriteOnlyCell(self.ws, value=value if value != "" else None)
        if isinstance(value, datetime):
            cell.value = as_utc(value).replace(tzinfo=None, microsecond=0)
            cell.number_format = self.time_format
        elif isinstance(value, date):
            cell.number_format = self.day_format
        if kind == "long":
            cell.alignment = WRAP
        elif kind == "link" and value:
            cell.hyperlink, cell.font = value, LINK
        return cell

    def _value(self, value: Any, kind: str) -> Any:
        """What ``append`` writes: a text or number without format as a plain value (openpyxl
        writes those through one cell it reuses; at 75,000 updates a cell object for each
        took most of the workbook's time), anything else as ``cell`` makes it."""
        if kind == "text" and not isinstance(value, date | Cell):
            value = safe_cell(value)
            return value if value != "" else None
        return self.cell(value, kind)

    def append(self, values: list[Any], kinds: tuple[str, ...] = ()) -> None:
        """One row; every value, a ready cell's too, goes through ``safe_cell``."""
        for value in values:
            if isinstance(value, Cell):
                value.value = safe_cell(value.value)
        cells = [
            v if isinstance(v, Cell) else self._value(v, kinds[i] if i < len(kinds) else "text")
            for i, v in enumerate(values)
        ]
        self.ws.append(cells)
        self.rows += 1

    def header(self, names: list[str], freeze: bool = False) -> None:
        cells = []
        for name in names:
            cell = WriteOnlyCell(self.ws, value=name)
            cell.font, cell.fill = BOLD, HEADER_FILL
            cells.append(cell)
        if freeze:
            self.ws.freeze_panes = "A2"
        self.append(cells)

    def filter_all(self, columns: int) -> None:
        """An autofilter over the header and every row written."""
        self.ws.auto_filter.ref = f"A1:{get_column_letter(columns)}{max(self.rows, 1)}"


def write_workbook(spec: ExportSpec, path: str) -> None:
    """Write the whole workbook for ``spec`` to ``path`` (in the current language)."""
    workbook = Workbook(write_only=True)
    summary = build_summary(spec.filters, spec.as_of, spec.stale_days)
    _summary_sheet(workbook, spec, summary)
    _items_sheet(workbook, spec)
    if spec.since is not None:
        _changes_sheet(workbook, spec, spec.since)
    _updates_sheet(workbook, spec)
    workbook.save(path)


def _summary_sheet(workbook: Workbook, spec: ExportSpec, summary: dict[str, Any]) -> None:
    sheet = Sheet(workbook, gettext("Summary"), (40, 16, 16, 14))
    title = WriteOnlyCell(sheet.ws, value=gettext("Suivi: status report"))
    title.font = Font(bold=True, size=14)
    sheet.append([title])
    for label, value in scope_pairs(spec.filters, spec.day, spec.as_of is None, spec.since):
        sheet.append([label, value])
    sheet.append([gettext("Exported at (UTC)"), utcnow()])
    sheet.append([gettext("Items"), summary["total"]])
    sheet.append([gettext("Overdue"), summary["overdue"]])
    sheet.append(
        [gettext("Without update for %(days)s days", days=spec.stale_days), summary["stale"]]
    )
    sheet.append([])
    sheet.header([gettext("Status"), gettext("Items")])
    for status, count in summary["by_status"].items():
        sheet.append([status_label(status), count])
    sheet.append([])
    sheet.header([gettext("Formal response"), gettext("Items")])
    for position, count in summary["by_response"].items():
        sheet.append([response_label(position), count])
    sheet.append([])
    sheet.header(
        [
            gettext("Lead organisation"),
            gettext("Items"),
            gettext("Implemented or verified"),
            gettext("Overdue"),
        ]
    )
    for entry in summary["by_lead"]:
        share = sheet.cell(entry["share_done"])
        share.number_format = "0%"
        sheet.append([entry["organisation"]["acronym"], entry["count"], share, entry["overdue"]])


def _items_sheet(workbook: Workbook, spec: ExportSpec) -> None:
    columns: tuple[Column, ...] = item_columns(spec.since)
    sheet = Sheet(workbook, "Items", tuple(c.width for c in columns))
    sheet.header([c.header for c in columns], freeze=True)
    kinds = tuple(c.kind for c in columns)
    rows = item_rows(spec.filters, spec.moment, spec.stale_days, since=spec.since)
    for row in stream(rows):
        sheet.append([c.value(row, spec.base_url) for c in columns], kinds)
    sheet.filter_all(len(columns))


def _changes_sheet(workbook: Workbook, spec: ExportSpec, since: date) -> None:
    """One row per item new or changed since ``spec.since``: each field from → to."""
    headers = [
        gettext("Code"),
        "id",
        gettext("Title"),
        gettext("Change in the period"),
        gettext("Status before"),
        gettext("Status now"),
        gettext("Progress before"),
        gettext("Progress now"),
        gettext("Lead before"),
        gettext("Lead now"),
        gettext("Due date before"),
        gettext("Due date now"),
    ]
    sheet = Sheet(workbook, gettext("Changes"), (8, 8, 50, 16, *(14,) * 8))
    sheet.header(headers, freeze=True)
    kinds = ("text", "number", "long")
    for entry in queries.changes_between(spec.filters, since, spec.moment, spec.stale_days):
        values = [
            entry["code"] or "",
            entry["id"],
            entry["title"],
            gettext("new item") if entry["new"] else gettext("changed"),
        ]
        for name in ("status", "progress", "lead", "due_date"):
            change = entry["changes"].get(name) or {"from": None, "to": None}
            pair = [change["from"], change["to"]]
            if name == "status":
                pair = [status_label(s) if s else None for s in pair]
            values.extend(pair)
        sheet.append(values, kinds)
    sheet.filter_all(len(headers))


def _updates_sheet(workbook: Workbook, spec: ExportSpec) -> None:
    """Every status update of the selected items up to the report's day, oldest first."""
    headers = [
        gettext("Date (UTC)"),
        "id",
        gettext("Code"),
        gettext("Title"),
        gettext("Status before"),
        gettext("Status after"),
        gettext("Progress before"),
        gettext("Progress after"),
        gettext("Author"),
        gettext("Note"),
    ]
    sheet = Sheet(workbook, gettext("Updates"), (18, 8, 8, 50, 18, 18, 12, 12, 24, 60))
    sheet.header(headers, freeze=True)
    kinds = ("text", "number", "text", "long", *("text",) * 5, "long")
    labels = {status: status_label(status) for status in workflow.STATUSES}  # once, not per row
    for row in stream(update_rows(spec.filters, spec.moment, spec.stale_days)):
        values = [
            row.created_at,
            row.item_id,
            row.code or "",
            row.title,
            labels[row.from_status],
            labels[row.to_status],
            row.from_progress,
            row.progress,
            row.author or "",
            row.note,
        ]
        sheet.append(values, kinds)
    sheet.filter_all(len(headers))
