"""Fault 4: API tokens are for the API and the report downloads only. A bearer header on any
other page is ignored — the request is anonymous — so a token cannot read the profile, take
its CSRF token, mint another token or act as an admin on the web pages."""

import pytest
from sqlalchemy import func, select

from app.auth.models import ApiToken, User
from app.extensions import db
from tests.api.conftest import token_for
from tests.conftest import IsolatedClient
from tests.factories import make_user
from tests.helpers import csrf_token
from tests.web.walk import (
    CASES,
    PAYLOADS,
    build_world,
    classify,
    expected,
    url_for,
)

TOKEN_DOORS = ("reports.status_csv", "reports.status_xlsx", "reports.status_pdf")


def _bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(user)}", "Accept-Language": "en"}


def test_a_viewers_token_cannot_read_the_profile(client):
    headers = _bearer(make_user("viewer"))
    response = client.get("/profile", headers=headers)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_viewers_token_cannot_mint_a_token(client):
    viewer = make_user("viewer")
    headers = _bearer(viewer)
    db.session.commit()
    token = csrf_token(client)  # a valid CSRF token of the client's own (anonymous) session
    response = client.post(
        "/profile/tokens", data={"csrf_token": token, "name": "minted"}, headers=headers
    )
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    db.session.expire_all()
    count = select(func.count(ApiToken.id)).where(ApiToken.user_id == viewer.id)
    assert db.session.scalar(count) == 1


def test_an_admins_token_cannot_create_users_on_the_admin_pages(client):
    headers = _bearer(make_user("admin"))
    db.session.commit()
    users = db.session.scalar(select(func.count(User.id)))
    data = {
        "csrf_token": csrf_token(client),
        "name": "Intruder",
        "email": "intruder@example.org",
        "role": "admin",
        "organisation_id": "1",
        "password": "a long enough password",
        "password_confirm": "a long enough password",
    }
    response = client.post("/admin/users", data=data, headers=headers)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    db.session.expire_all()
    assert db.session.scalar(select(func.count(User.id))) == users


@pytest.mark.parametrize("endpoint", TOKEN_DOORS)
def test_a_token_still_downloads_the_reports(client, endpoint):
    headers = _bearer(make_user("viewer"))
    path = {"reports.status_csv": "csv", "reports.status_xlsx": "xlsx", "reports.status_pdf": "pdf"}
    response = client.get(f"/reports/status.{path[endpoint]}", headers=headers)
    assert response.status_code == 200


WEB = [
    (endpoint, rule, method)
    for endpoint, rule, method in CASES
    if not rule.startswith("/api/") and endpoint not in TOKEN_DOORS and endpoint != "static"
]


def test_a_token_on_any_other_page_is_treated_as_anonymous(app):
    """Every web route × method with the admin's token and no cookie gets what the anonymous
    get (the walk's expectations)."""
    world = build_world(app)
    token = world["tokens"]["admin"][1]
    problems = []
    for endpoint, _rule, method in WEB:
        klass = classify(endpoint, method)
        client = IsolatedClient(app, app.response_class, use_cookies=True)
        url = url_for(app, endpoint, method, world, "anonymous")
        kwargs = {}
        if method != "GET":
            payload = PAYLOADS.get(endpoint, lambda w: {})(world)
            kwargs["data"] = {"csrf_token": csrf_token(client), **payload}
        headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
        response = client.open(url, method=method, headers=headers, **kwargs)
        expectation = expected(endpoint, klass, "anonymous", method, False)
        if not expectation.met_by(response.status_code, response.headers.get("Location", "")):
            problems.append(f"{method} {url}: {response.status_code}, expected {expectation}")
    assert not problems, "\n".join(problems)
