"""Fault 9: no link Suivi writes comes from the request's Host header — exports (CSV, XLSX
hyperlinks, PDF), mail sent because of a request, and every redirect (relative)."""

import io
import zipfile

import pytest

from app.extensions import db
from app.notifications import services as notification_services
from tests.api.conftest import token_for
from tests.factories import make_item, make_org, make_user
from tests.smtp import smtp_server  # noqa: F401
from tests.web.walk import CASES, build_world, log_in, url_for

EVIL = "evil.example"
BASE = "https://suivi.example.org"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_exports_link_to_the_configured_address_whatever_the_host(app, client, monkeypatch, fmt):
    monkeypatch.setitem(app.config, "BASE_URL", BASE)
    item = make_item(title="Linked")
    headers = {"Host": EVIL, "Authorization": f"Bearer {token_for(make_user('viewer'))}"}
    response = client.get(f"/reports/status.{fmt}", headers=headers)
    assert response.status_code == 200
    body = response.get_data()
    if fmt == "xlsx":  # the hyperlinks live in the sheets' relationships
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            body = b"".join(archive.read(name) for name in archive.namelist())
    assert EVIL.encode() not in body
    if fmt != "pdf":  # the PDF's streams are compressed; its links come from the same spec
        assert f"{BASE}/items/{item.id}".encode() in body


def test_no_redirect_names_the_requests_host(app):
    world = build_world(app)
    problems = []
    for endpoint, _rule, method in CASES:
        if method != "GET" or endpoint == "static":
            continue
        for role in ("anonymous", "admin"):
            client = app.test_client()
            if role == "admin":  # the admin's session cookie, sent to the hostile host
                log_in(client, world["users"]["admin"])
                cookie = client.get_cookie("session").value
                client.set_cookie("session", cookie, domain=EVIL)
            url = url_for(app, endpoint, method, world, role)
            response = client.get(url, headers={"Host": EVIL})
            location = response.headers.get("Location", "")
            if EVIL in location or location.startswith(("http:", "https:", "//")):
                problems.append(f"{url} as {role}: {location}")
    assert not problems, problems


def test_mail_caused_by_a_request_links_to_the_configured_address(app, smtp_server):  # noqa: F811
    lead = make_org("HOSTL")
    watcher = make_user("staff", organisation=lead)
    notification_services.set_delivery(watcher, watcher, "immediate")
    item = make_item(lead=lead, title="Watched")
    actor = make_user("manager")
    headers = {"Host": EVIL, "Authorization": f"Bearer {token_for(actor)}"}
    db.session.commit()
    response = app.test_client().post(
        f"/api/v1/items/{item.id}/comments", json={"body": "Patrols resumed."}, headers=headers
    )
    assert response.status_code == 201
    [received] = smtp_server.handler.received
    assert EVIL not in received.text
    assert EVIL not in received.html
    assert f"{BASE}/items/{item.id}" in received.text
