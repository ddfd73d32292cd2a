"""Fault 7: no text cell of any export runs as a formula. Every text that reaches a CSV or
XLSX cell — organisation acronyms and names, user names, themes, item codes and titles,
notes, the filters — is stored with a hostile leading character (written with plain SQL, as
an older version or an import could have), then every cell of every sheet is checked."""

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from app.core.time import today
from app.extensions import db
from app.items import services as item_services
from app.items.queries import ItemFilters
from app.reports import exports
from app.reports.exports import ExportSpec
from tests.factories import SYSTEM, make_item, make_org, make_user

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = (
    '=HYPERLINK("http://evil.example","x")',  # every payload fits a 40-character column
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)


@pytest.fixture
def hostile():
    lead, support = make_org("LEADX"), make_org("SUPPX")
    owner, author = make_user("staff", organisation=lead), make_user("manager")
    theme = item_services.create_theme(SYSTEM, code="hx", title="Theme")
    item = make_item(lead=lead, supporting=[support], owner=owner, themes=[theme], code="C1")
    item_services.change_status(author, item, item.version, status="in_progress", note="n")
    db.session.flush()
    updates = [
        ("organisations", "acronym", lead.id, 0),
        ("organisations", "name", lead.id, 1),
        ("organisations", "acronym", support.id, 2),
        ("organisations", "name", support.id, 3),
        ("users", "name", owner.id, 4),
        ("users", "name", author.id, 5),
        ("themes", "code", theme.id, 0),
        ("themes", "title", theme.id, 1),
        ("items", "code", item.id, 2),
        ("items", "title", item.id, 3),
    ]
    for table, column, record_id, payload in updates:
        db.session.execute(
            text(f"UPDATE {table} SET {column} = :v WHERE id = :i"),
            {"v": PAYLOADS[payload], "i": record_id},
        )
    db.session.execute(text("UPDATE status_updates SET note = :v"), {"v": PAYLOADS[4]})
    db.session.commit()
    return item


def _spec(**kwargs) -> ExportSpec:
    since = today() - timedelta(days=1)
    filters = ItemFilters(q=PAYLOADS[3]) if kwargs.pop("query", False) else ItemFilters()
    return ExportSpec(filters, None, since, base_url="https://suivi.test", **kwargs)


@pytest.mark.parametrize("query", [False, True], ids=["all", "hostile query"])
def test_no_csv_cell_starts_like_a_formula(hostile, query):
    text_ = "".join(exports.csv_lines(_spec(query=query)))
    rows = list(csv.reader(io.StringIO(text_[1:])))
    cells = [cell for row in rows[1:] for cell in row]
    assert len(rows) == 2
    assert not [c for c in cells if c.startswith(DANGEROUS)]
    assert sum(c.startswith("'") for c in cells) >= 8


def test_no_xlsx_cell_is_a_formula_in_any_sheet(hostile):
    workbook = load_workbook(io.BytesIO(exports.export_bytes("xlsx", _spec())))
    assert {"Items", "Changes", "Updates", "Summary"} <= set(workbook.sheetnames)
    problems, neutralised = [], 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    neutralised += cell.value.startswith("'")
                    if cell.data_type != "s" or cell.value.startswith(DANGEROUS):
                        problems.append(f"{sheet.title}!{cell.coordinate}: {cell.value!r}")
    assert not problems, problems
    assert neutralised >= 10
