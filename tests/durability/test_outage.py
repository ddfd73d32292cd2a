"""Fault 10: while the database is out of reach every route answers 503 — Suivi's page, JSON
under /api/ and for /healthz — never a 500 nor a page that itself needs the database; when it
comes back Suivi answers again by itself (stale pooled connections are pinged and replaced).
PostgreSQL is cut by a proxy that drops every connection; SQLite by putting its file out of
reach."""

import re

import pytest
from sqlalchemy.engine import make_url

from app import create_app
from app.auth.models import User
from app.extensions import db
from app.notifications.services import unsubscribe_token
from tests.conftest import database_url_for_tests, is_postgres
from tests.durability.outage import Proxy, SqliteOutage
from tests.durability.servers import database_url, prepare

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SKIPPED = {"static", "core.service_worker"}  # files: no database


def _databases():
    kinds = [pytest.param("sqlite", id="sqlite")]
    if is_postgres():
        kinds.append(pytest.param("postgresql", id="postgresql"))
    return kinds


def _outage(kind: str):
    url = database_url(kind, "outage")
    prepared = prepare(url)
    if kind == "sqlite":
        return prepared, url, lambda app: SqliteOutage(url, lambda: _dispose(app))
    target = make_url(database_url_for_tests())
    proxy = Proxy(target.host or "127.0.0.1", target.port or 5432)
    proxy.restore()
    return prepared, proxy.url(url), lambda app: proxy


def _dispose(app) -> None:
    with app.app_context():
        db.engine.dispose()


def _routes(app, signed: str):
    """One request per rule: its first method, with the URL built from id 1."""
    cases = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint in SKIPPED:
            continue
        method = sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        values = {name: ("csv" if name == "fmt" else 1) for name in rule.arguments}
        if "token" in rule.arguments:
            values["token"] = signed
        if "filename" in rule.arguments:
            values["filename"] = "x"
        cases.append(
            (
                rule.rule,
                method,
                app.url_map.bind("localhost").build(rule.endpoint, values, method=method),
            )
        )
    return cases


@pytest.mark.parametrize("kind", _databases())
def test_an_outage_is_a_503_everywhere_and_suivi_recovers_by_itself(kind):
    prepared, url, make_outage = _outage(kind)
    app = create_app(
        "default",
        SQLALCHEMY_DATABASE_URI=url,
        SECRET_KEY="outage-tests",
        PUBLIC_VIEW=True,
        RATELIMIT_ENABLED=False,
        UPLOAD_FOLDER=prepared.upload_folder,
    )
    outage = make_outage(app)
    client = app.test_client()
    with app.app_context():
        user = db.session.get(User, 1)
        user_id, signed = user.get_id(), unsubscribe_token(user)
    with client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True
    token = CSRF.search(client.get("/no-such-page").get_data(as_text=True)).group(1)
    headers = {"Authorization": f"Bearer {prepared.tokens[0]}", "Accept-Language": "en"}
    assert client.get("/items").status_code == 200  # pooled connections now exist

    outage.cut()
    try:
        problems = []
        for rule, method, path in _routes(app, signed):
            api = rule.startswith("/api/")
            kwargs = {"headers": headers}
            if method != "GET":
                kwargs["json" if api else "data"] = {} if api else {"csrf_token": token}
            response = client.open(path, method=method, **kwargs)
            status = response.status_code
            if status != 503:
                problems.append(f"{method} {path}: {status}")
            elif api or rule == "/healthz":
                if response.mimetype != "application/json":
                    problems.append(f"{method} {path}: 503 not in JSON")
            elif "<h1>" not in response.get_data(as_text=True):
                problems.append(f"{method} {path}: 503 without Suivi's page")
        anonymous = app.test_client()
        login = anonymous.get("/login")
        assert login.status_code == 200  # the form itself needs no database
        form = {
            "email": "manager@example.org",
            "password": "x",
            "csrf_token": CSRF.search(login.get_data(as_text=True)).group(1),
        }
        if anonymous.post("/login", data=form).status_code != 503:
            problems.append("POST /login as anonymous: not 503")
        assert not problems, "\n".join(problems)
    finally:
        outage.restore()

    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/items").status_code == 200
    assert client.get("/api/v1/items", headers=headers).status_code == 200
    assert client.get("/api/v1/openapi.json", headers=headers).status_code == 200
    with app.app_context():
        db.engine.dispose()
