"""Reading an uploaded file as rows of text: XLSX (openpyxl, read-only, formulas as their
text) or CSV (UTF-8 with or without BOM, else Latin-1; ``;``, ``,`` or tab), streamed and
bounded: reading stops at ``max_rows`` and the file is refused above it."""

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import IO, Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from app.core.errors import N_, ValidationError

MAX_ROWS = 20_000
CELL_MAX = 20_000  # characters of one cell (an item's text is at most 20,000)
_SHEET = "Items"
_CHUNK = 64 * 1024
csv.field_size_limit(CELL_MAX + 1)


class FileRefused(ValidationError):
    """The file as a whole cannot be read (no row-by-row report possible)."""

    code = "invalid_file"


@dataclass
class Table:
    """The header cells and an iterator over ``(row number, cells)``; row numbers are the
    spreadsheet's (the header is row 1)."""

    format: str
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]


def cell_text(value: Any) -> str:
    """A cell as text: dates as ISO, whole numbers without ``.0``, formulas as written."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def open_table(stream: IO[bytes], max_rows: int = MAX_ROWS) -> Table:
    """The file's table, or ``FileRefused`` saying why it cannot be read."""
    start = stream.read(8)
    stream.seek(0)
    if not start:
        raise FileRefused(N_("The file is empty."))
    if start.startswith(b"PK\x03\x04"):
        return _xlsx(stream, max_rows)
    if start.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(
            N_("This is an old Excel file (.xls): save it as .xlsx or CSV and upload it again.")
        )
    return _csv(stream, max_rows)


def _bounded(rows: Iterator[tuple[int, list[str]]], max_rows: int) -> Iterator:
    count = 0
    for number, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        count += 1
        if count > max_rows:
            raise FileRefused(
                N_("The file has more than %(max)s rows: split it into several files."),
                max=f"{max_rows:,}",
            )
        yield number, cells


def _xlsx(stream: IO[bytes], max_rows: int) -> Table:
    try:
        book = load_workbook(stream, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise FileRefused(
            N_("This file is not a spreadsheet Suivi can read: upload an .xlsx or a CSV file.")
        ) from None
    sheet = book[_SHEET] if _SHEET in book.sheetnames else book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)

    def numbered() -> Iterator[tuple[int, list[str]]]:
        for number, values in enumerate(rows, start=1):
            yield number, [_cut(cell_text(v)) for v in values]
        book.close()

    return _with_header("xlsx", numbered(), max_rows)


def _cut(text: str) -> str:
    return text if len(text) <= CELL_MAX else text[: CELL_MAX + 1]


def _with_header(fmt: str, numbered: Iterator[tuple[int, list[str]]], max_rows: int) -> Table:
    for number, header in numbered:
        if any(c.strip() for c in header):
            if number != 1:
                raise FileRefused(
                    N_("The first row must be the header (code, kind, title…); row 1 is empty.")
                )
            return Table(fmt, header, _bounded(numbered, max_rows))
    raise FileRefused(N_("The file is empty."))


def _encoding(stream: IO[bytes]) -> str:
    """UTF-8 (a BOM is dropped) when the whole file decodes as UTF-8, else Latin-1 (Windows'
    cp1252 where it differs); read in chunks, so memory stays bounded."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "cp1252"
    stream.seek(0)
    return encoding


def _csv(stream: IO[bytes], max_rows: int) -> Table:
    sample = stream.read(_CHUNK)
    stream.seek(0)
    if b"\x00" in sample or any(b < 32 and b not in b"\t\r\n" for b in sample[:4096]):
        raise FileRefused(
            N_("This file is not a spreadsheet Suivi can read: upload an .xlsx or a CSV file.")
        )
    encoding = _encoding(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    first = text.readline()
    delimiter = max((";", ",", "\t"), key=first.count)
    text.seek(0)
    reader = csv.reader(text, delimiter=delimiter)

    def numbered() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, values in enumerate(reader, start=1):
                yield number, [_cut(v) for v in values]
        except csv.Error:
            raise FileRefused(
                N_("The CSV file is malformed near line %(line)s."), line=reader.line_num
            ) from None

    return _with_header("csv", numbered(), max_rows)
