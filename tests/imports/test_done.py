"""Done means: a manager adds a second report as a source, uploads a spreadsheet of its 500
items with organisations, themes and links, fixes the errors the preview shows, imports it,
finds every item, link and theme in Suivi, and exporting and re-importing changes nothing."""

import io
import re

from sqlalchemy import select

from app.extensions import db
from app.items.models import Item, Source, item_links
from tests.factories import make_org, make_user
from tests.helpers import csrf_token, form_post, login
from tests.imports.files import xlsx

COLUMNS = ("code", "kind", "title", "text", "source", "section", "themes", "lead", "supporting",
           "due_date", "priority", "status", "progress", "addresses")  # fmt: skip
LEADS = ("MINUSMA", "EUTM", "MOI", "IMRAP", "GEND")
STATUSES = (("", ""), ("in_progress", "30"), ("blocked", "10"), ("implemented", ""),
            ("verified", ""), ("not_accepted", ""))  # fmt: skip


def second_report() -> list[list[str]]:
    """100 challenges, 300 recommendations addressing one or two of them, 100 actions each
    under a recommendation."""
    rows = []
    for n in range(1, 501):
        if n <= 100:
            kind, code, addresses = "challenge", f"SR-C{n}", ""
        elif n <= 400:
            kind, code = "recommendation", f"SR-R{n}"
            addresses = "; ".join(sorted({f"SR-C{n % 100 + 1}", f"SR-C{n * 7 % 100 + 1}"}))
        else:
            kind, code, addresses = "action", f"SR-A{n}", f"SR-R{n - 300}"
        status, progress = STATUSES[n % len(STATUSES)] if kind != "challenge" else ("", "")
        themes = "; ".join(sorted({f"sr-{n % 3 + 1}", f"sr-{n % 4 + 2}"}))
        rows.append([
            code, kind, f"Second report item {n}", f"What the report says about item {n}.",
            "sr-2026", f"p. {n // 20 + 1}", themes,
            LEADS[n % 5], LEADS[(n + 1) % 5], f"2027-{n % 12 + 1:02d}-15",
            ("high", "medium", "low")[n % 3], status, progress, addresses,
        ])  # fmt: skip
    return rows


def upload(client, data: bytes, name: str) -> str:
    token = csrf_token(client, "/imports")
    response = client.post("/imports", data={"csrf_token": token, "file": (io.BytesIO(data), name)})
    assert response.status_code == 303
    return response.headers["Location"]


def test_a_manager_brings_in_a_second_report_of_500_items(client):
    for acronym in LEADS:
        make_org(acronym)
    manager = make_user("manager", email="planning@example.org")
    login(client, manager)
    themes = "\n".join(f"sr-{n}: Second report theme {n}" for n in range(1, 6))
    source = {"key": "sr-2026", "title": "Second report, 2026", "themes": themes}
    assert form_post(client, "/sources", source).status_code == 302

    rows = second_report()
    broken = [list(r) for r in rows]
    broken[10][7] = "MINUSM"  # a typo in the lead
    broken[150][6] = "sr-1; sr-9"  # a theme that does not exist
    broken[420][9] = "2027-02-30"  # no such day
    broken[499][0] = "SR-A499"  # a code used twice
    location = upload(client, xlsx(broken, COLUMNS), "second-report.xlsx")
    page = client.get(location).get_data(as_text=True)
    for expected in (
        "Unknown organisation MINUSM: did you mean MINUSMA?",
        "Unknown theme sr-9: did you mean sr-5?",
        "due_date must be a date",
        "The code SR-A499 is also on row 501.",
        "The code SR-A499 is also on row 500.",
    ):
        assert expected in page
    assert 'name="fingerprint"' not in page
    assert db.session.scalar(select(Item.id).where(Item.code.like("SR-%"))) is None

    location = upload(client, xlsx(rows, COLUMNS), "second-report.xlsx")
    page = client.get(location).get_data(as_text=True)
    assert "Import 500 new and 0 changed items" in page
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', page).group(1)
    confirm = {"csrf_token": csrf_token(client, location), "fingerprint": fingerprint}
    done = client.post(location, data=confirm)
    assert done.status_code == 303
    assert client.get(done.headers["Location"]).status_code == 200

    db.session.expire_all()
    items = {i.code: i for i in db.session.scalars(select(Item).where(Item.code.like("SR-%")))}
    assert len(items) == 500
    report = db.session.scalar(select(Source).where(Source.key == "sr-2026"))
    for row in rows:
        found = items[row[0]]
        assert (found.kind, found.title, found.source_id, found.lead.acronym) == (
            row[1], row[2], report.id, row[7]
        )  # fmt: skip
        assert "; ".join(t.code for t in found.themes) == row[6]
        assert [o.acronym for o in found.supporting] == [row[8]]
        assert found.status == (row[11] or "not_started")
    links = {
        (items_by_id[f], items_by_id[t])
        for items_by_id in [{i.id: c for c, i in items.items()}]
        for f, t in db.session.execute(select(item_links.c.from_id, item_links.c.to_id))
    }
    wanted = {(r[0], code) for r in rows for code in r[13].split("; ") if code}
    assert links == wanted

    export = client.get("/reports/status.xlsx")
    assert export.status_code == 200
    page = client.get(upload(client, export.data, "status.xlsx")).get_data(as_text=True)
    assert "Nothing to import: every row matches Suivi." in page
    assert ">500<" in page  # unchanged
