"""Spreadsheets for the import tests, built in memory: XLSX with openpyxl, CSV in any
encoding and separator."""

import csv
import io

from openpyxl import Workbook

HEADER = ("code", "kind", "title", "lead")


def xlsx(rows, header=HEADER, sheet="Items") -> bytes:
    book = Workbook()
    book.remove(book.worksheets[0])
    ws = book.create_sheet(sheet)
    if header:
        ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, header=HEADER, delimiter=",", encoding="utf-8", bom=False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def stream(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)
