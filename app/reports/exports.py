"""Status exports: what each is asked for (``ExportSpec``), the CSV streamed row by row, and
one entry point per format returning bytes or writing a file, in the reader's language.

Every door (the web, ``flask report``, a round frozen by the follow-up) builds an
``ExportSpec`` and calls ``csv_lines``, ``write_xlsx`` or ``export_bytes``; each works outside
a request (it sets its language itself) and reads a bounded number of statements whatever
the number of items. ``record_export`` writes the export to the audit trail.
"""

import csv
import io
import os
import tempfile
from collections import namedtuple
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import force_locale

from app import audit
from app.core.cells import FORMULA_START, safe_cell
from app.core.time import utcnow
from app.extensions import db
from app.items import workflow
from app.items.queries import ItemFilters
from app.reports.arguments import ReportArgs
from app.reports.columns import CHANGE_COLUMN, ITEM_COLUMNS, SCOPE_COLUMNS, Column
from app.reports.rows import item_rows, stream
from app.reports.state import Moment
from app.reports.wording import yes_no

FORMATS = ("csv", "xlsx", "pdf")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class ExportSpec:
    """What an export holds: the item list's ``filters``, the day (``as_of``, None: now), the
    day to compare with (``since``), the stale period, Suivi's address for the links
    (``base_url``, from configuration, never from a request's Host) and the reader's
    ``locale`` ("en" or "fr")."""

    filters: ItemFilters = field(default_factory=ItemFilters)
    as_of: date | None = None
    since: date | None = None
    stale_days: int = workflow.DEFAULT_STALE_DAYS
    base_url: str = ""
    locale: str = "en"

    @classmethod
    def from_args(cls, args: ReportArgs, **options: Any) -> "ExportSpec":
        """The spec of parsed report arguments, with ``stale_days``, ``base_url``, ``locale``."""
        return cls(args.filters, args.as_of, args.since, **options)

    @property
    def moment(self) -> Moment:
        return Moment.at(self.as_of)

    @property
    def day(self) -> date:
        """The day the export describes (today when live)."""
        return self.as_of or utcnow().date()


def filename(fmt: str, day: date | None = None) -> str:
    """``suivi-status-2026-11-23.pdf``: the day the export describes."""
    return f"suivi-status-{(day or utcnow().date()).isoformat()}.{fmt}"


def record_export(fmt: str, spec: ExportSpec) -> None:
    """Append "who exported what, with which filters" to the audit trail (the caller has set
    the actor and commits)."""
    changes: dict[str, Any] = {
        "format": fmt,
        "filters": spec.filters.as_args(),
        "as_of": spec.as_of.isoformat() if spec.as_of else None,
    }
    if spec.since is not None:
        changes["since"] = spec.since.isoformat()
    audit.record(db.session, "export", "reports", changes=changes)


# --- CSV -----------------------------------------------------------------------------------

CSV_COLUMNS = (*ITEM_COLUMNS, CHANGE_COLUMN, *SCOPE_COLUMNS)
CSV_BATCH = 500  # items per chunk of the streamed CSV


def _cell(column: Column, spec: ExportSpec) -> Callable[[Any], Any]:
    """How ``column`` reads a row into a CSV cell, worked out once per export (at 100,000
    rows, working out per cell which kind of column it is cost more than the query): text
    neutralised as ``safe_text`` does (inlined: a call per cell counts), a date in ISO form,
    None as an empty cell; a column of words (``source``: a status label, "yes") once per
    value it is made from, not once per row."""
    value, base_url, source = column.value, spec.base_url, column.source
    if column is CHANGE_COLUMN and spec.since is None:
        return lambda row: ""

    def plain(row: Any) -> Any:
        cell = value(row, base_url)
        if isinstance(cell, str):
            return "'" + cell if cell.startswith(FORMULA_START) else cell
        if cell is None:
            return ""
        if isinstance(cell, date):
            return cell.isoformat()
        return cell

    def flag(row: Any) -> str:
        return safe_cell(yes_no(value(row, base_url)))

    convert = flag if column.kind == "flag" else plain
    if source is None:
        return convert
    words: dict[Any, Any] = {}

    def cached(row: Any) -> Any:
        key = getattr(row, source)
        if key not in words:
            words[key] = convert(row)
        return words[key]

    return cached


def _row_values(spec: ExportSpec, fields: Sequence[str]) -> Callable[[Any], list[Any]]:
    """A row's CSV values, each neutralised: the scope columns worked out once per export,
    the others by their ``_cell``. Each row is first copied into a named tuple of
    ``fields``: reading its two dozen fields by name there is several times faster than on
    a SQLAlchemy ``Row`` (a second per 100,000 rows)."""
    record = namedtuple("record", fields)  # type: ignore[misc]
    scope = [safe_cell(column.value(None, spec)) for column in SCOPE_COLUMNS]
    cells = [_cell(column, spec) for column in (*ITEM_COLUMNS, CHANGE_COLUMN)]

    def values(row: Any) -> list[Any]:
        fast = record(*row)
        return [cell(fast) for cell in cells] + scope

    return values


def csv_lines(spec: ExportSpec) -> Iterator[str]:
    """The CSV export in chunks of lines: a UTF-8 byte-order mark and the header first,
    then ``CSV_BATCH`` items per chunk (one write to the socket, one compressed block, not
    one per line), fetched in batches so memory stays constant. The columns are always the
    same (``CSV_COLUMNS``), with or without ``since``: a program reads every export alike."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def taken() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    with force_locale(spec.locale):
        writer.writerow(safe_cell(c.header) for c in CSV_COLUMNS)
        yield "\ufeff" + taken()
        rows = stream(item_rows(spec.filters, spec.moment, spec.stale_days, since=spec.since))
        values = _row_values(spec, tuple(rows.keys()))
        for n, row in enumerate(rows, start=1):
            writer.writerow(values(row))
            if n % CSV_BATCH == 0:
                yield taken()
        rest = taken()
        if rest:
            yield rest


# --- Every format ----------------------------------------------------------------------------


def write_xlsx(spec: ExportSpec, path: str) -> None:
    """Write the XLSX export to ``path`` (rows are streamed from the database)."""
    from app.reports.xlsx import write_workbook

    with force_locale(spec.locale):
        write_workbook(spec, path)


def export_bytes(fmt: str, spec: ExportSpec) -> bytes:
    """The export in ``fmt`` ("csv", "xlsx" or "pdf") as bytes, e.g. to store it."""
    if fmt == "csv":
        return "".join(csv_lines(spec)).encode("utf-8")
    if fmt == "pdf":
        from app.reports.pdf import pdf_bytes

        return pdf_bytes(spec)
    if fmt != "xlsx":
        raise ValueError(f"unknown export format {fmt!r}")
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        write_xlsx(spec, path)
        with open(path, "rb") as handle:
            return handle.read()
    finally:
        os.unlink(path)
