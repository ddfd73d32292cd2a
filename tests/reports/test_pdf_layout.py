"""Every page of the PDF holds its text: on the seed plus long values, in English and French,
with and without ``since``, no word leaves the page or its margins, no two words overlap
(read back with pdfplumber), and no text runs out of its table cell (WeasyPrint's layout)."""

import io
import os
from datetime import timedelta

import pdfplumber
import pytest
from weasyprint.formatting_structure import boxes

from app.core.time import today
from app.items.queries import ItemFilters
from app.reports.exports import ExportSpec
from app.reports.pdf import pdf_document
from tests.reports.long_story import load_long_story

ARTIFACTS = os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts")
MM = 72 / 25.4
MARGIN = 17 * MM  # the side margins of pdf.html's @page
SLACK = 0.5  # points: rounding of the glyph boxes


def words_of(page) -> list[dict]:
    # A word is a run of glyphs with less than 1.5 pt between them: two cells' texts that
    # run together read as one word, which overlaps nothing, so the layout check below
    # catches those.
    return page.extract_words(x_tolerance=1.5, y_tolerance=1, keep_blank_chars=False)


def outside(word: dict, page) -> bool:
    return (
        word["x0"] < MARGIN - SLACK
        or word["x1"] > page.width - MARGIN + SLACK
        or word["top"] < -SLACK
        or word["bottom"] > page.height + SLACK
    )


def overlapping(words: list[dict]) -> list[tuple[str, str]]:
    """Pairs of words whose boxes share more than ``SLACK`` in both directions."""
    found = []
    ordered = sorted(words, key=lambda w: w["x0"])
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b["x0"] >= a["x1"] - SLACK:
                break
            if min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > SLACK:
                found.append((a["text"], b["text"]))
    return found


def spilling_cells(document) -> list[str]:
    """Texts wider than the table cell that holds them."""
    found = []
    for number, page in enumerate(document.pages, start=1):
        for cell in page._page_box.descendants():
            if not isinstance(cell, boxes.TableCellBox):
                continue
            left = cell.content_box_x()
            right = left + cell.width
            for text in cell.descendants():
                if isinstance(text, boxes.TextBox) and (
                    text.position_x < left - SLACK or text.position_x + text.width > right + SLACK
                ):
                    found.append(f"page {number}: {text.text!r}")
    return found


@pytest.mark.parametrize("locale", ["en", "fr"])
@pytest.mark.parametrize("with_since", [False, True], ids=["now", "since"])
def test_every_page_holds_its_text(app, monkeypatch, locale, with_since):
    load_long_story(monkeypatch, app.config["SEED_DIR"])
    since = today() - timedelta(days=60) if with_since else None
    document = pdf_document(ExportSpec(ItemFilters(), None, since, locale=locale))
    assert spilling_cells(document) == []
    data = document.write_pdf()
    os.makedirs(ARTIFACTS, exist_ok=True)
    name = f"report-{locale}-{'since' if with_since else 'now'}.pdf"
    with open(os.path.join(ARTIFACTS, name), "wb") as handle:
        handle.write(data)
    faults = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) >= 8
        for number, page in enumerate(pdf.pages, start=1):
            words = words_of(page)
            assert words, f"page {number} is empty"
            out = [w["text"] for w in words if outside(w, page)]
            both = overlapping(words)
            if out or both:
                faults[number] = {"outside": out, "overlapping": both}
    assert faults == {}


def test_the_checks_see_a_table_that_breaks(app):
    """The old layout's fault, rebuilt: a nowrap date wider than its fixed column."""
    from weasyprint import HTML

    html = (
        '<table style="table-layout: fixed; width: 60mm"><tr>'
        '<td style="width: 12mm; white-space: nowrap">Dec 15, 2026</td>'
        "<td>Nov 30, 2026</td></tr></table>"
    )
    document = HTML(string=html).render()
    assert spilling_cells(document) == ["page 1: 'Dec 15, 2026'"]
    words = [
        {"text": "a", "x0": 10, "x1": 30, "top": 5, "bottom": 15},
        {"text": "b", "x0": 25, "x1": 40, "top": 8, "bottom": 18},
        {"text": "c", "x0": 40, "x1": 50, "top": 5, "bottom": 15},
    ]
    assert overlapping(words) == [("a", "b")]
