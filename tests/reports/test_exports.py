"""The exports read back by real clients: Python's csv module, LibreOffice, pdftotext."""

import csv
import io
import os
import shutil
import subprocess
import tempfile
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.items.queries import ItemFilters, list_items
from app.reports import exports, xlsx
from app.reports.pdf import pdf_bytes
from app.reports.summary import build_summary

ARTIFACTS = os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts")


def parse_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def csv_text(filters=None, as_of=None) -> str:
    return "".join(exports.csv_lines(filters or ItemFilters(), as_of, 60, "https://suivi.test"))


def test_csv_has_bom_columns_and_the_list_count(story):
    rows = parse_csv(csv_text())
    assert len(rows) == list_items(ItemFilters()).total == 3
    assert list(rows[0]) == list(exports.COLUMNS)
    one = next(r for r in rows if r["id"] == str(story["one"].id))
    assert one["status"] == "implemented"
    assert one["progress"] == "100"
    assert one["lead"] == "AAA"
    assert one["due_date"] == "2026-12-31"
    assert one["url"] == f"https://suivi.test/items/{story['one'].id}"
    two = next(r for r in rows if r["id"] == str(story["two"].id))
    assert two["last_note"] == "waiting for funds"
    assert two["last_update"] == "2026-09-20"


def test_csv_filters_match_the_list(story):
    for filters in (
        ItemFilters(lead="BBB"),
        ItemFilters(status="blocked"),
        ItemFilters(q="item"),
        ItemFilters(kind="challenge"),
    ):
        assert len(parse_csv(csv_text(filters))) == list_items(filters).total


def test_csv_as_of_shows_the_past(story):
    rows = parse_csv(csv_text(as_of=date(2026, 10, 4)))
    assert len(rows) == 2
    assert {r["lead"] for r in rows} == {"AAA"}
    one = next(r for r in rows if r["id"] == str(story["one"].id))
    assert (one["status"], one["due_date"]) == ("implemented", "2026-10-15")


def test_csv_is_a_generator_that_streams(story):
    lines = exports.csv_lines(ItemFilters(), None, 60)
    assert next(lines).startswith("\ufeffid,kind,title")
    assert len(list(lines)) == 3


def test_csv_cells_cannot_become_formulas(story):
    story["three"].title = '=HYPERLINK("http://evil")'
    db.session.flush()
    rows = parse_csv(csv_text())
    assert any(r["title"].startswith("'=") for r in rows)


def test_xlsx_sheets_types_and_layout(story):
    data = xlsx.xlsx_bytes(ItemFilters(), None, 60, "https://suivi.test")
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Summary", "Items", "Updates"]
    items = wb["Items"]
    assert [c.value for c in items[1]] == list(exports.COLUMNS)
    assert items.freeze_panes == "A2"
    assert items.auto_filter.ref == "A1:L4"
    row = {h: c.value for h, c in zip(exports.COLUMNS, items[2], strict=True)}
    assert isinstance(row["progress"], int)
    assert row["due_date"].date() == date(2026, 12, 31)
    assert items.column_dimensions["C"].width >= 40
    assert wb["Updates"].max_row == 1 + 3  # three status updates in the story


def soffice_csv(xlsx: bytes, tmp_path) -> list[list[str]]:
    """Convert the Items sheet (the second) to CSV with LibreOffice headless."""
    source = tmp_path / "export.xlsx"
    source.write_bytes(xlsx)
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    try:
        subprocess.run(
            [
                "soffice",
                "--headless",
                f"-env:UserInstallation=file://{profile}",
                "--convert-to",
                "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2",
                "--outdir",
                str(tmp_path),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    produced = sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".csv")
    items = next(p for p in produced if "Items" in p)
    with open(tmp_path / items, encoding="utf-8") as handle:
        return list(csv.reader(handle))


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui",
)
def test_xlsx_opened_by_libreoffice_has_the_csv_rows(story, tmp_path):
    table = soffice_csv(xlsx.xlsx_bytes(ItemFilters(), None, 60, "https://suivi.test"), tmp_path)
    rows = parse_csv(csv_text())
    assert table[0] == list(exports.COLUMNS)
    assert len(table) - 1 == len(rows) == list_items(ItemFilters()).total
    same = [c for c in exports.COLUMNS if c != "overdue"]  # a boolean cell reads TRUE/FALSE
    from_calc = [
        {c: v for c, v in zip(exports.COLUMNS, r, strict=True) if c in same} for r in table[1:]
    ]
    assert from_calc == [{c: r[c] for c in same} for r in rows]


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)


@needs_poppler
def test_pdf_text_holds_the_summary_figures(story, tmp_path):
    data = pdf_bytes(ItemFilters(), date(2026, 10, 31), since=date(2026, 9, 30))
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    summary = build_summary(ItemFilters(), date(2026, 10, 31))
    assert "Status report" in text
    assert "October 31, 2026" in text
    assert "Blocked" in text
    assert "Implemented" in text
    for entry in summary["by_lead"]:
        assert entry["organisation"]["acronym"] in text
    assert f"{summary['total']}\n" in text.replace(" ", "") or str(summary["total"]) in text
    assert "Page 2 / " in text
    assert "What changed since" in text
    assert "New item" in text


@needs_poppler
def test_pdf_in_french_when_asked(story, tmp_path):
    text = pdf_text(pdf_bytes(ItemFilters(), date(2026, 10, 31), locale="fr"), tmp_path)
    assert "31 octobre 2026" in text
    assert "Bloqué" in text
    english = pdf_text(pdf_bytes(ItemFilters(), date(2026, 10, 31)), tmp_path)
    assert "October 31, 2026" in english


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm is not installed")
def test_pdf_first_page_rendered_to_png(story, tmp_path):
    os.makedirs(ARTIFACTS, exist_ok=True)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(pdf_bytes(ItemFilters(), None, since=date(2026, 9, 30)))
    prefix = os.path.join(ARTIFACTS, "report-page")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf), prefix],
        check=True,
        timeout=60,
    )
    assert os.path.getsize(prefix + "-1.png") > 5000


def test_cli_writes_each_format_and_audits_it(story, cli, tmp_path):
    for fmt in exports.FORMATS:
        out = tmp_path / f"r.{fmt}"
        result = cli.invoke(
            args=[
                "report",
                "--format",
                fmt,
                "--out",
                str(out),
                "--lead",
                "AAA",
                "--as-of",
                "2026-10-04",
            ]
        )
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    rows = parse_csv((tmp_path / "r.csv").read_text(encoding="utf-8"))
    assert len(rows) == 2
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "export").order_by(AuditEvent.id)
    ).all()
    assert [e.changes["format"] for e in events][-3:] == ["csv", "xlsx", "pdf"]
    assert events[-1].changes["filters"] == {"lead": "AAA"}
    assert events[-1].changes["as_of"] == "2026-10-04"
    assert events[-1].actor == "system:report"


def test_cli_refuses_bad_input(cli, tmp_path):
    for args in (["--as-of", "2026-02-30"], ["--status", "done"], ["--overdue", "maybe"]):
        result = cli.invoke(
            args=["report", "--format", "csv", "--out", str(tmp_path / "x.csv"), *args]
        )
        assert result.exit_code == 2
        assert "Error" in result.output


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts is not installed")
def test_pdf_embeds_its_fonts(story, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes(ItemFilters(), None))
    lines = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert lines
    assert all("DejaVu" in line for line in lines)
    assert all(line.split()[-5] == "yes" for line in lines)  # the "emb" column
