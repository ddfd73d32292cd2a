"""The reports page and the exports over HTTP: session or token, filters, as_of, errors."""

import csv
import io

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth import services as auth_services
from app.extensions import db
from app.items.queries import ItemFilters, list_items
from tests.factories import SYSTEM, make_user
from tests.helpers import login


@pytest.fixture
def viewer(story):
    return make_user("viewer", organisation=story["a"])


@pytest.mark.parametrize("path", ["/reports", "/reports/status.csv"])
def test_reports_need_login(client, path):
    """A page and a download alike send the anonymous to the login page, and back after."""
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/login?next={path.replace('/', '%2F')}"


def test_page_shows_where_each_organisation_stands(client, viewer, story):
    login(client, viewer)
    response = client.get("/reports")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for text in ("AAA", "BBB", "<svg", "<title", "Show as a table", "status.pdf"):
        assert text in html
    assert 'style="' not in html.split("<main", 1)[1]  # the CSP allows no inline style


def test_page_as_of_last_month_and_changes_since(client, viewer, story):
    login(client, viewer)
    html = client.get("/reports?as_of=2026-10-04&since=2026-09-30").get_data(as_text=True)
    assert "Oct 2026" in html or "2026" in html
    assert "BBB" not in html.split("By lead organisation", 1)[1].split("</table>", 1)[0]
    assert "What changed between" in html


@pytest.mark.parametrize(
    "query",
    [
        "as_of=2026-02-30",
        "as_of=tomorrow",
        "status=done",
        "overdue=maybe",
        "as_of=2999-01-01",
        "as_of=2026-10-01&since=2026-10-02",
    ],
)
def test_bad_parameters_are_400_never_500(client, viewer, query):
    login(client, viewer)
    for path in ("/reports", "/reports/status.csv", "/reports/status.xlsx", "/reports/status.pdf"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400, (path, query)


def test_csv_download_matches_the_list_and_is_audited(app, monkeypatch, client, viewer, story):
    monkeypatch.setitem(app.config, "BASE_URL", "https://suivi.example.org/")
    _token, plaintext = auth_services.create_token(SYSTEM, viewer, "reports")
    db.session.flush()
    response = client.get(
        "/reports/status.csv?lead=BBB",
        headers={"Host": "evil.example", "Authorization": f"Bearer {plaintext}"},
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="suivi-status-' in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == list_items(ItemFilters(lead="BBB")).total == 2
    # Links come from the configured address, never from the request's Host.
    assert rows[0]["Link"] == f"https://suivi.example.org/items/{rows[0]['id']}"
    db.session.expire_all()
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "export").order_by(AuditEvent.id.desc())
    ).first()
    assert event.actor == viewer.email
    assert event.changes == {"format": "csv", "filters": {"lead": "BBB"}, "as_of": None}


def test_exports_accept_an_api_token(client, viewer, story):
    _token, plaintext = auth_services.create_token(SYSTEM, viewer, "reports")
    db.session.flush()
    headers = {"Authorization": f"Bearer {plaintext}"}
    xlsx = client.get("/reports/status.xlsx?as_of=2026-10-04", headers=headers)
    assert xlsx.status_code == 200
    assert xlsx.get_data()[:2] == b"PK"
    assert (
        xlsx.headers["Content-Disposition"].endswith('.xlsx"')
        or ".xlsx" in xlsx.headers["Content-Disposition"]
    )
    pdf = client.get("/reports/status.pdf?since=2026-09-30", headers=headers)
    assert pdf.status_code == 200
    assert pdf.get_data()[:4] == b"%PDF"
    assert pdf.mimetype == "application/pdf"
    db.session.expire_all()
    formats = [
        e.changes["format"]
        for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "export").order_by(AuditEvent.id)
        )
    ]
    assert formats[-2:] == ["xlsx", "pdf"]


def test_exports_speak_the_users_language(client, story):
    from openpyxl import load_workbook

    reader = make_user("viewer", organisation=story["a"], language="fr")
    login(client, reader)
    body = client.get("/reports/status.csv?since=2026-09-30").get_data().decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(body)))
    assert header[:4] == ["id", "Code", "kind", "Type (en clair)"]
    assert "Changement sur la période" in header
    assert "Filtres" in header
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {r["Statut (en clair)"] for r in rows} == {"Mis en œuvre", "Bloqué", "Non commencé"}
    data = client.get("/reports/status.xlsx?since=2026-09-30").get_data()
    assert load_workbook(io.BytesIO(data)).sheetnames == [
        "Synthèse",
        "Items",
        "Changements",
        "Mises à jour",
    ]
    db.session.expire_all()
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "export").order_by(AuditEvent.id.desc())
    ).first()
    assert event.changes["since"] == "2026-09-30"
