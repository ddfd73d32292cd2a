"""Login, logout, sessions, CSRF and the headers every page carries."""

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from tests.factories import PASSWORD, make_user
from tests.helpers import csrf_token, login


def test_pages_need_login_except_login_and_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/login").status_code == 200
    response = client.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_login_and_logout(client):
    user = make_user(email="in@example.org")
    response = login(client, user)
    assert response.headers["Location"].endswith("/") or "/items" in response.headers["Location"]
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"
    assert client.get("/").headers["Location"] != "/login"
    # Every page in Suivi's layout carries the logout form with its token.
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/no-such-page")})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")
    assert "/login" in client.get("/").headers["Location"]


def test_wrong_password_and_unknown_email_get_the_same_answer(client):
    make_user(email="known@example.org")
    answers = []
    for email in ("known@example.org", "unknown@example.org"):
        response = client.post(
            "/login",
            data={"email": email, "password": "wrong-password!", "csrf_token": csrf_token(client)},
        )
        answers.append(
            (
                response.status_code,
                response.get_data(as_text=True)
                .split('<p class="error-summary"')[1]
                .split("</p>")[0],
            )
        )
    assert answers[0] == answers[1]
    assert answers[0][0] == 401


def test_repeated_failures_lock_the_account(client, app):
    user = make_user(email="locked@example.org")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post(
            "/login",
            data={
                "email": user.email,
                "password": "nope-nope-nope",
                "csrf_token": csrf_token(client),
            },
        )
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client)}
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"],
)
def test_next_must_stay_on_this_site(client, target):
    user = make_user()
    response = client.post(
        f"/login?next={target}",
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]
    assert not response.headers["Location"].startswith("javascript")


def test_next_on_this_site_is_followed(client):
    user = make_user()
    response = client.post(
        "/login?next=/healthz",
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.headers["Location"] == "/healthz"


def test_post_without_csrf_token_is_refused_and_changes_nothing(client):
    user = make_user()
    before = db.session.scalars(select(AuditEvent.id)).all()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert db.session.scalars(select(AuditEvent.id)).all() == before


def test_security_headers_on_every_page(client):
    for path in ("/login", "/healthz", "/no-such-page"):
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"]


def test_error_pages_speak_the_browsers_language(client):
    response = client.get("/no-such-page", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert "<h1>" in response.get_data(as_text=True)


def test_login_is_audited(client):
    user = make_user()
    login(client, user)
    db.session.expire_all()
    actions = db.session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.record_type == "users", AuditEvent.record_id == user.id
        )
    ).all()
    assert "login" in actions
