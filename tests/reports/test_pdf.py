"""The PDF read back with pdftotext: the figures, the language, and the narrative a reader
needs (latest notes, the updates of the period, blocked items and why, verified items and
their evidence)."""

import io
import os
import re
import shutil
import subprocess
from datetime import date

import pdfplumber
import pytest

from app.items import services as item_services
from app.items.queries import ItemFilters
from app.reports.exports import ExportSpec, export_bytes
from app.reports.summary import build_summary
from tests.factories import make_user
from tests.reports.history import at, status_at

ARTIFACTS = os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts")
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)


def pdf(as_of=None, since=None, locale="en", filters=None) -> bytes:
    return export_bytes("pdf", ExportSpec(filters or ItemFilters(), as_of, since, locale=locale))


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    # In the order it was written, on one line (wrapped cells read as sentences); the narrow
    # no-break spaces of French punctuation are kept.
    return re.sub(r"[ \t\r\n\f\v]+", " ", text)


@needs_poppler
def test_pdf_text_holds_the_summary_figures(story, tmp_path):
    data = pdf(date(2026, 10, 31), since=date(2026, 9, 30))
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    summary = build_summary(ItemFilters(), date(2026, 10, 31))
    assert "Status report" in text
    assert "31 Oct 2026" in text
    assert "Blocked" in text
    assert "Implemented" in text
    for entry in summary["by_lead"]:
        assert entry["organisation"]["acronym"] in text
    assert "Page 2 / " in text
    assert "What changed since" in text
    assert "New item: Not started, BBB" in text


@needs_poppler
def test_pdf_tells_what_was_done(story, monkeypatch, tmp_path):
    manager = make_user("manager", name="Awa Traoré")
    one = story["one"]
    item_services.attach_evidence(manager, one, title="Minutes", url="https://example.org/a")
    item_services.attach_evidence(manager, one, title="Photos", url="https://example.org/b")
    status_at(monkeypatch, at("2026-11-03"), one, "verified", note="Checked on site")
    text = pdf_text(pdf(None, since=date(2026, 9, 30)), tmp_path)
    # Blocked items with the reason given when they were blocked.
    assert "Blocked items" in text
    assert "Blocked since 20 Sep 2026" in text
    assert "Reason: waiting for funds" in text
    # Verified items with their evidence.
    assert "Verified on 3 Nov 2026" in text
    assert "2 pieces of evidence" in text
    # Each item's latest note, with its date.
    assert "Latest note (3 Nov 2026)" in text
    assert "Checked on site" in text
    # The updates of the period, each with its note; those before it are not listed.
    period = text[text.index("Updates of the period") : text.index("Blocked items")]
    assert "Implemented → Verified" in period
    assert "In progress → Implemented" in period
    assert "→ Blocked" not in period  # 20 September: before the period


@needs_poppler
def test_pdf_in_french_with_french_punctuation(story, tmp_path):
    data = pdf(date(2026, 10, 31), since=date(2026, 9, 30), locale="fr")
    text = pdf_text(data, tmp_path)
    assert "31 oct. 2026" in text
    assert "Bloqué" in text
    assert "Raison : waiting for funds" in text
    assert "Nouvel élément : Non commencé, BBB" in text
    # pdftotext writes every space alike: the glyphs say which one it is.
    with pdfplumber.open(io.BytesIO(data)) as document:
        glyphs = "".join(c["text"] for page in document.pages for c in page.chars)
    assert "Raison\u202f:" in glyphs
    assert "Chef de file\u202f:" in glyphs
    assert " :" not in glyphs
    assert " ;" not in glyphs
    assert "1 élément ·" in text
    assert "1 éléments" not in text
    english = pdf_text(pdf(date(2026, 10, 31)), tmp_path)
    assert "31 Oct 2026" in english
    assert "1 item ·" in english


@needs_poppler
def test_a_trend_needs_two_weeks_of_data(story, tmp_path):
    text = pdf_text(pdf(date(2026, 9, 2)), tmp_path)
    assert "The data starts in the week ending 2 Sep 2026" in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm is not installed")
def test_pdf_first_pages_rendered_to_png(story, tmp_path):
    os.makedirs(ARTIFACTS, exist_ok=True)
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf(None, since=date(2026, 9, 30)))
    prefix = os.path.join(ARTIFACTS, "report-page")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(path), prefix],
        check=True,
        timeout=60,
    )
    assert os.path.getsize(prefix + "-1.png") > 5000


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts is not installed")
def test_pdf_embeds_its_fonts(story, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf())
    lines = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert lines
    assert all("DejaVu" in line for line in lines)
    assert all(line.split()[-5] == "yes" for line in lines)  # the "emb" column
