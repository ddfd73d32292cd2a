"""The CSV and XLSX exports read back by real clients: Python's csv module, openpyxl and
LibreOffice; for people (codes, labels, owner, themes, links, the scope stated) while the
contract columns keep machine values."""

import csv
import io
import shutil
import subprocess
import tempfile
from datetime import date

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook

from app.extensions import db
from app.items.queries import ItemFilters, list_items
from app.reports import exports
from app.reports.columns import CONTRACT, column_key
from app.reports.exports import ExportSpec

BASE = "https://suivi.test"


def parse_csv(text: str) -> list[dict[str, str]]:
    """The rows keyed by column key, whatever the language of the headers."""
    assert text.startswith("\ufeff")
    reader = csv.reader(io.StringIO(text[1:]))
    keys = [column_key(h) for h in next(reader)]
    assert None not in keys
    return [dict(zip(keys, row, strict=True)) for row in reader]


def csv_text(filters=None, as_of=None, since=None, locale="en") -> str:
    spec = ExportSpec(filters or ItemFilters(), as_of, since, base_url=BASE, locale=locale)
    return "".join(exports.csv_lines(spec))


def by_id(rows, item) -> dict[str, str]:
    return next(r for r in rows if r["id"] == str(item.id))


def test_csv_has_bom_contract_columns_and_the_list_count(story):
    text = csv_text()
    header = next(csv.reader(io.StringIO(text[1:])))
    assert [h for h in header if h in CONTRACT] == list(CONTRACT)
    rows = parse_csv(text)
    assert len(rows) == list_items(ItemFilters()).total == 3
    one = by_id(rows, story["one"])
    assert one["status"] == "implemented"
    assert one["progress"] == "100"
    assert one["lead"] == "AAA"
    assert one["due_date"] == "2026-12-31"
    assert one["url"] == f"{BASE}/items/{story['one'].id}"
    two = by_id(rows, story["two"])
    assert two["last_note"] == "waiting for funds"
    assert two["last_update"] == "2026-09-20"
    # Never updated: no last update (its creation is not one).
    assert by_id(rows, story["three"])["last_update"] == ""


def test_csv_is_for_people_in_their_language_and_keeps_machine_values(story):
    story["one"].code = "R1"
    db.session.flush()
    rows = parse_csv(csv_text(locale="fr"))
    one = by_id(rows, story["one"])
    assert (one["code"], one["status"], one["status_label"]) == (
        "R1",
        "implemented",
        "Mis en œuvre",
    )
    assert (one["kind"], one["kind_label"], one["priority"]) == (
        "recommendation",
        "Recommandation",
        "Moyenne",
    )
    assert one["lead_name"] == story["a"].name
    assert one["overdue"] == "non"
    header = csv_text(locale="fr").splitlines()[0]
    assert "Statut (en clair)" in header
    assert "Dernière note" in header
    english = parse_csv(csv_text())
    assert by_id(english, story["one"])["status_label"] == "Implemented"


def test_csv_states_its_scope_on_every_line_and_keeps_its_columns(story):
    """The day, the comparison day and the filters are columns: every CSV parser reads them,
    and the columns are the same with or without ``since``."""
    plain = csv_text(ItemFilters(lead="AAA"), as_of=date(2026, 10, 31))
    compared = csv_text(ItemFilters(lead="AAA"), as_of=date(2026, 10, 31), since=date(2026, 9, 30))
    assert plain.splitlines()[0] == compared.splitlines()[0]
    rows = parse_csv(compared)
    assert {(r["as_of"], r["since"], r["filters"]) for r in rows} == {
        ("2026-10-31", "2026-09-30", "lead=AAA")
    }
    assert {r["change"] for r in rows} == {"changed"}  # one implemented, two reassigned away
    assert {r["change"] for r in parse_csv(plain)} == {""}
    new = parse_csv(csv_text(as_of=date(2026, 10, 31), since=date(2026, 9, 30)))
    assert by_id(new, story["three"])["change"] == "new item"


def test_csv_owner_themes_and_supporting_organisations(story):
    from app.items import services as item_services
    from tests.factories import SYSTEM, make_org, make_user

    owner = make_user("manager", name="Awa Traoré")
    theme = item_services.create_theme(SYSTEM, code="2227-a", title="Ceasefire")
    item_services.edit_item(
        SYSTEM,
        story["three"],
        story["three"].version,
        owner=owner,
        themes=[theme],
        supporting=[make_org("ZED"), story["a"]],
    )
    db.session.flush()
    three = by_id(parse_csv(csv_text()), story["three"])
    assert (three["owner"], three["themes"], three["supporting"]) == (
        "Awa Traoré",
        "2227-a",
        "AAA; ZED",
    )


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
    one = by_id(rows, story["one"])
    assert (one["status"], one["due_date"], one["last_update"]) == (
        "implemented",
        "2026-10-15",
        "2026-10-01",
    )


def test_csv_is_a_generator_that_streams_in_chunks_of_lines(story, monkeypatch):
    monkeypatch.setattr(exports, "CSV_BATCH", 2)
    chunks = exports.csv_lines(ExportSpec())
    assert next(chunks).startswith("\ufeffid,Code,kind,Kind (in words),title")
    assert [chunk.count("\r\n") for chunk in chunks] == [2, 1]


def test_no_link_without_a_configured_address(story):
    rows = parse_csv("".join(exports.csv_lines(ExportSpec())))
    assert {r["url"] for r in rows} == {""}


def test_every_text_cell_is_neutralised(story):
    from tests.factories import make_user

    story["three"].title = '=HYPERLINK("http://evil")'
    story["three"].code = "+C1"
    db.session.flush()
    rows = parse_csv(csv_text())
    three = by_id(rows, story["three"])
    assert three["title"].startswith("'=")
    assert three["code"] == "'+C1"
    make_user(name="@evil")  # names and notes go through the same cell writer
    data = exports.export_bytes("xlsx", ExportSpec(base_url=BASE))
    items = load_workbook(io.BytesIO(data))["Items"]
    texts = [c.value for row in items.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@"))]


def xlsx(since=None, locale="en", filters=None):
    spec = ExportSpec(filters or ItemFilters(), None, since, base_url=BASE, locale=locale)
    return load_workbook(io.BytesIO(exports.export_bytes("xlsx", spec)))


def test_xlsx_sheets_types_links_and_layout(story):
    wb = xlsx()
    assert wb.sheetnames == ["Summary", "Items", "Updates"]
    items = wb["Items"]
    headers = [c.value for c in items[1]]
    assert [h for h in headers if h in CONTRACT] == list(CONTRACT)
    assert items.freeze_panes == "A2"
    assert items.auto_filter.ref.startswith("A1:")
    assert items.auto_filter.ref.endswith("4")
    row = {column_key(h): c for h, c in zip(headers, items[2], strict=True)}
    assert isinstance(row["progress"].value, int)
    assert row["due_date"].value.date() == date(2026, 12, 31)
    assert row["url"].hyperlink.target == f"{BASE}/items/{story['one'].id}"
    assert items.column_dimensions["E"].width >= 40  # the title
    assert wb["Updates"].max_row == 1 + 3  # three status updates in the story


def test_xlsx_in_french_with_changes_and_the_scope_stated(story):
    wb = xlsx(since=date(2026, 9, 30), locale="fr", filters=ItemFilters(status="blocked"))
    assert wb.sheetnames == ["Synthèse", "Items", "Changements", "Mises à jour"]
    summary = {}
    for row in wb["Synthèse"].iter_rows(values_only=True):
        if row and row[0]:
            summary.setdefault(row[0], row[1])
    assert summary["Changements depuis le"] == "30 sept. 2026"
    assert summary["Statut"] == "Bloqué"  # the filter, for people
    assert "données actuelles" in summary["Situation au"]
    changes = list(wb["Changements"].iter_rows(values_only=True))
    assert changes[0][:4] == ("Code", "id", "Titre", "Changement sur la période")
    assert [(r[1], r[4], r[5]) for r in changes[1:]] == [(story["two"].id, None, None)]
    items = wb["Items"]
    headers = [c.value for c in items[1]]
    assert "Statut (en clair)" in headers
    assert "Changement sur la période" in headers
    assert items.cell(2, headers.index("last_update") + 1).number_format == "dd/mm/yyyy"


def soffice_csv(xlsx_data: bytes, tmp_path) -> list[list[str]]:
    """Convert the Items sheet (the second) to CSV with LibreOffice headless, a real client."""
    source = tmp_path / "export.xlsx"
    source.write_bytes(xlsx_data)
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    try:
        subprocess.run(
            [
                "soffice",
                "--headless",
                f"-env:UserInstallation=file://{profile}",
                "--convert-to",
                "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,2",
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
@pytest.mark.parametrize("locale", ["en", "fr"])
def test_xlsx_opened_by_libreoffice_has_the_csv_rows(story, tmp_path, locale):
    story["one"].title = "-1 = trouble"
    db.session.flush()
    spec = ExportSpec(base_url=BASE, locale=locale)
    table = soffice_csv(exports.export_bytes("xlsx", spec), tmp_path)
    text = "".join(exports.csv_lines(spec))
    header = next(csv.reader(io.StringIO(text[1:])))
    assert table[0] == header[: len(table[0])]
    keys = [column_key(h) for h in table[0]]
    rows = parse_csv(text)
    assert len(table) - 1 == len(rows) == list_items(ItemFilters()).total
    with force_locale(locale):
        from app.reports.wording import yes_no

        flags = {yes_no(True): "TRUE", yes_no(False): "FALSE"}
    # LibreOffice shows dates as they are formatted (ISO in English, day first in French) and
    # booleans as TRUE/FALSE; every other cell reads as the CSV has it, neutralised the same.
    for calc, csv_row in zip(table[1:], rows, strict=True):
        for key, value in zip(keys, calc, strict=True):
            wanted = csv_row[key]
            if key in ("overdue", "stale"):
                wanted = flags[wanted]
            elif key in ("due_date", "last_update") and wanted and locale == "fr":
                wanted = date.fromisoformat(wanted).strftime("%d/%m/%Y")
            assert value == wanted, (key, value, wanted)


def test_cli_writes_each_format_and_audits_it(story, cli, tmp_path):
    from sqlalchemy import select

    from app.audit.models import AuditEvent

    for fmt in exports.FORMATS:
        out = tmp_path / f"r.{fmt}"
        args = ["report", "--format", fmt, "--out", str(out), "--lead", "AAA"]
        result = cli.invoke(args=[*args, "--as-of", "2026-10-04", "--lang", "fr"])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    rows = parse_csv((tmp_path / "r.csv").read_text(encoding="utf-8"))
    assert len(rows) == 2
    assert rows[0]["status_label"] in ("En cours", "Mis en œuvre", "Bloqué")
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


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown export format"):
        exports.export_bytes("ods", ExportSpec())


def test_each_row_has_its_own_lists_last_update_and_latest_note(monkeypatch, story):
    """The lists, the last update and the latest note of each row are its item's own, as
    each database reads them (see ``rows._lists_and_note``): several supporters and themes,
    two notes at the same moment (the later written wins), a latest update without a note
    (the note before it is the latest), an item never updated; live, as of a past day and
    filtered."""
    from app.core.time import as_utc
    from app.items import services as item_services
    from app.reports.rows import item_rows, split_list, stream
    from app.reports.state import Moment
    from tests.factories import SYSTEM, make_org, make_user
    from tests.reports.history import at, frozen

    one, two, three = story["one"], story["two"], story["three"]
    author = make_user("admin", name="Ada Lovelace")
    themes = [item_services.create_theme(SYSTEM, code=c, title=c) for c in ("T2", "T1", "T3")]
    orgs = [make_org(a) for a in ("ZED", "YYY", "XXX")]
    item_services.edit_item(SYSTEM, one, one.version, themes=themes[:2], supporting=orgs)
    item_services.edit_item(SYSTEM, three, three.version, themes=themes, supporting=orgs[1:])

    def update(moment, note, progress=None):
        with frozen(monkeypatch, moment):
            item_services.change_status(
                author, two, two.version, status=two.status, progress=progress, note=note
            )
            db.session.flush()

    update(at("2026-10-12"), "first of two")
    update(at("2026-10-12"), "second of two")
    update(at("2026-10-20"), "", progress=40)

    def rows(filters=None, as_of=None):
        result = stream(item_rows(filters or ItemFilters(), Moment.at(as_of), 90))
        return {
            r.id: (
                split_list(r.supporting),
                split_list(r.themes),
                as_utc(r.last_update_at),
                r.last_note,
                as_utc(r.last_note_at),
                r.last_note_author,
            )
            for r in result
        }

    live = {
        one.id: (["XXX", "YYY", "ZED"], ["T1", "T2"], at("2026-10-01"), "update",
                 at("2026-10-01"), None),
        two.id: ([], [], at("2026-10-20"), "second of two", at("2026-10-12"), "Ada Lovelace"),
        three.id: (["XXX", "YYY"], ["T1", "T2", "T3"], None, None, None, None),
    }  # fmt: skip
    assert rows() == live
    assert rows(ItemFilters(lead="BBB")) == {k: live[k] for k in (two.id, three.id)}
    assert rows(as_of=date(2026, 10, 15)) == {
        one.id: live[one.id],
        two.id: ([], [], at("2026-10-12"), "second of two", at("2026-10-12"), "Ada Lovelace"),
        three.id: live[three.id],
    }
    waiting = ([], [], at("2026-09-20", 23), "waiting for funds", at("2026-09-20", 23), None)
    assert rows(as_of=date(2026, 10, 4))[two.id] == waiting
