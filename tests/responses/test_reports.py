"""Formal responses in the reports: the summary now and as of a past day, the CSV and XLSX
columns, the PDF, and the response filter shared with the list."""

import io
import re
from datetime import date

from openpyxl import load_workbook

from app.items import services
from app.items.queries import ItemFilters, list_items
from app.reports.columns import column_key
from app.reports.exports import ExportSpec, export_bytes
from app.reports.summary import build_summary
from tests.factories import SYSTEM, make_org
from tests.reports.history import at, frozen, item_created
from tests.reports.test_exports import by_id, csv_text, parse_csv
from tests.reports.test_pdf import needs_poppler, pdf_text


def respond_at(monkeypatch, moment, item, position, responded_on, text=""):
    import app.items.services.responses as responding

    with frozen(monkeypatch, moment), monkeypatch.context() as m:
        m.setattr(responding, "utcnow", lambda: moment)
        services.record_response(
            SYSTEM, item, item.version, position=position, responded_on=responded_on, text=text
        )


def _story(monkeypatch):
    lead = make_org("RSP")
    revised = item_created(monkeypatch, at("2026-09-01"), lead=lead, code="R1")
    accepted = item_created(monkeypatch, at("2026-09-01"), lead=lead, code="R2")
    silent = item_created(monkeypatch, at("2026-09-01"), lead=lead, code="R3")
    respond_at(monkeypatch, at("2026-09-10"), revised, "noted", "2026-09-09")
    respond_at(monkeypatch, at("2026-10-10"), revised, "rejected", "2026-10-08", "No means.")
    respond_at(monkeypatch, at("2026-10-12"), accepted, "accepted", "2026-10-11")
    return {"revised": revised, "accepted": accepted, "silent": silent, "lead": lead}


def test_the_summary_counts_responses_now_and_as_they_stood(monkeypatch):
    story = _story(monkeypatch)
    filters = ItemFilters(lead=story["lead"].acronym)
    now = build_summary(filters)["by_response"]
    assert (now["rejected"], now["accepted"], now["noted"], now["none"]) == (1, 1, 0, 1)
    then = build_summary(filters, as_of=date(2026, 9, 30))["by_response"]
    assert (then["noted"], then["rejected"], then["accepted"], then["none"]) == (1, 0, 0, 2)
    before = build_summary(filters, as_of=date(2026, 9, 5))["by_response"]
    assert before["none"] == 3


def test_the_filter_agrees_between_list_and_reports(monkeypatch):
    story = _story(monkeypatch)
    for position, expected in (("rejected", {"revised"}), ("none", {"silent"})):
        filters = ItemFilters(lead=story["lead"].acronym, response=position)
        listed = {item.id for item in list_items(filters).items}
        assert listed == {story[name].id for name in expected}
        assert build_summary(filters)["total"] == len(expected)
    past = ItemFilters(lead=story["lead"].acronym, response="noted")
    assert build_summary(past, as_of=date(2026, 9, 30))["total"] == 1


def test_csv_has_the_response_columns(monkeypatch):
    story = _story(monkeypatch)
    rows = parse_csv(csv_text(ItemFilters(lead="RSP")))
    revised = by_id(rows, story["revised"])
    assert revised["response"] == "rejected"
    assert revised["response_label"] == "Rejected"
    assert revised["response_date"] == "2026-10-08"
    silent = by_id(rows, story["silent"])
    assert (silent["response"], silent["response_label"], silent["response_date"]) == ("", "", "")
    french = parse_csv(csv_text(ItemFilters(lead="RSP"), locale="fr"))
    assert by_id(french, story["revised"])["response_label"] == "Rejetée"
    past = parse_csv(csv_text(ItemFilters(lead="RSP"), as_of=date(2026, 9, 30)))
    assert by_id(past, story["revised"])["response"] == "noted"


def test_xlsx_has_the_response_columns_and_summary(monkeypatch):
    story = _story(monkeypatch)
    spec = ExportSpec(ItemFilters(lead="RSP"), None, None, locale="en")
    workbook = load_workbook(io.BytesIO(export_bytes("xlsx", spec)))
    sheet = workbook["Items"]
    headers = [column_key(c.value) for c in sheet[1]]
    rows = [dict(zip(headers, [c.value for c in row], strict=True)) for row in sheet.iter_rows(2)]
    revised = next(r for r in rows if r["id"] == story["revised"].id)
    assert revised["response"] == "rejected"
    assert revised["response_date"].date() == date(2026, 10, 8)
    summary = [[c.value for c in row][:2] for row in workbook["Summary"].iter_rows()]
    assert ["Formal response", "Items"] in summary
    assert ["No response", 1] in summary


@needs_poppler
def test_pdf_has_the_responses(monkeypatch, tmp_path):
    _story(monkeypatch)
    data = export_bytes("pdf", ExportSpec(ItemFilters(lead="RSP"), None, None, locale="fr"))
    text = pdf_text(data, tmp_path)
    assert "Par réponse formelle" in text
    assert re.search(r"R1 Item \d+ Non commencé 0 % Réponse\W+Rejetée", text)
    assert "Sans réponse 1" in text
