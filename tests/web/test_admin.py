"""The admin screens as a whole: admins only, French, labels, statements, raw form bodies."""

import re

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.extensions import db
from app.stakeholders.models import Organisation
from tests.factories import make_org, make_user
from tests.helpers import csrf_token, form_post, login


def test_unknown_ids_are_404(client, admin):
    for path in ("/admin/users/999999", "/admin/organisations/999999"):
        assert client.get(path).status_code == 404
    assert (
        form_post(
            client, "/admin/users/999999/password", {"password": "x"}, form_path="/admin/users"
        ).status_code
        == 404
    )
    assert (
        form_post(
            client, "/admin/users/999999/active", {"is_active": "0"}, form_path="/admin/users"
        ).status_code
        == 404
    )


@pytest.mark.parametrize("role", ["viewer", "staff", "manager"])
def test_other_roles_get_403(client, role):
    login(client, make_user(role))
    org = make_org()
    for path in (
        "/admin/users",
        f"/admin/users/{org.id}",
        "/admin/organisations",
        f"/admin/organisations/{org.id}",
    ):
        assert client.get(path).status_code == 403
    response = form_post(
        client, "/admin/organisations", {"name": "X", "acronym": "X"}, form_path="/no-such-page"
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.scalar(select(Organisation).where(Organisation.acronym == "X")) is None


def test_anonymous_is_sent_to_login(client):
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_admin_pages_speak_french(client, admin):
    org = make_org()
    for path in (
        "/admin/users",
        f"/admin/users/{admin.id}",
        "/admin/organisations",
        f"/admin/organisations/{org.id}",
    ):
        response = client.get(path, headers={"Accept-Language": "fr"})
        assert response.status_code == 200
        assert '<html lang="fr">' in response.get_data(as_text=True)


def test_every_input_has_a_label(client, admin):
    org = make_org()
    for path in (
        "/admin/users",
        f"/admin/users/{admin.id}",
        "/admin/organisations",
        f"/admin/organisations/{org.id}",
    ):
        html = client.get(path).get_data(as_text=True)
        ids = re.findall(
            r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html
        )
        assert ids
        for element_id in ids:
            assert f'for="{element_id}"' in html, (path, element_id)
        assert html.count("<h1") == 1
        assert "<th>" not in html  # every header cell has a scope


def test_every_mistake_of_the_form_is_marked_at_once(client, admin):
    make_user(email="taken@example.org")
    response = form_post(
        client,
        "/admin/users",
        {
            "name": "",
            "email": "taken@example.org",
            "role": "staff",
            "organisation_id": "",
            "password": "short",
            "password_confirm": "other",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("name", "email", "organisation_id", "password", "password_confirm"):
        assert f'id="{field}-error"' in html, field
    response = form_post(
        client,
        "/admin/organisations",
        {"name": "", "acronym": "", "kind": "club", "parent_id": "x", "description": ""},
    )
    html = response.get_data(as_text=True)
    for field in ("name", "acronym", "kind", "parent_id"):
        assert f'id="{field}-error"' in html, field


def _statements(client, path: str) -> int:
    from sqlalchemy import event

    statements = []
    engine = db.engine

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(statements)


def test_admin_pages_take_a_bounded_number_of_statements(client, admin):
    parent = make_org("ROOT")
    make_user("viewer", organisation=parent)
    paths = (
        "/admin/users",
        "/admin/organisations",
        f"/admin/organisations/{parent.id}",
        f"/admin/users/{admin.id}",
    )
    before = {path: _statements(client, path) for path in paths}
    for n in range(12):
        child = make_org(f"CHILD{n}", parent=parent)
        make_org(f"GRANDCHILD{n}", parent=child)
        make_user("staff", organisation=child)
    after = {path: _statements(client, path) for path in paths}
    assert after == before
    assert min(before.values()) > 0


@pytest.mark.parametrize("big", ["2147483648", "99999999999999999999"])
def test_ids_too_large_for_the_database_are_404_not_500(client, admin, big):
    for path in (f"/admin/users/{big}", f"/admin/organisations/{big}"):
        assert client.get(path).status_code == 404
    response = form_post(
        client,
        "/admin/organisations",
        {"name": "A", "acronym": "A", "kind": "other", "parent_id": big},
    )
    assert response.status_code == 422
    assert 'id="parent_id-error"' in response.get_data(as_text=True)
    response = form_post(
        client,
        "/admin/users",
        {
            "name": "A",
            "email": "a@example.org",
            "role": "viewer",
            "organisation_id": big,
            "password": "long enough pass",
            "password_confirm": "long enough pass",
        },
    )
    assert response.status_code == 422
    assert (
        form_post(client, f"/profile/tokens/{big}/revoke", {}, form_path="/profile").status_code
        == 404
    )


def test_names_are_escaped(client, admin):
    user = make_user("staff", name="<b>Bold</b> & co")
    org = make_org("ESC", name="<i>Org</i>")
    for path in (
        f"/admin/users/{user.id}",
        "/admin/users",
        f"/admin/organisations/{org.id}",
        "/admin/organisations",
    ):
        html = client.get(path).get_data(as_text=True)
        assert "<b>Bold</b>" not in html
        assert "<i>Org</i>" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in client.get(f"/admin/users/{user.id}").get_data(
        as_text=True
    )


def test_admin_root_leads_to_the_users(client, admin):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/users")


def _raw_post(client, path, fields, form_path=None):
    """POST a form body as given (percent escapes included), with the page's CSRF token."""
    token = csrf_token(client, form_path or path)
    body = "&".join(f"{k}={v}" for k, v in {"csrf_token": token, **fields}.items())
    return client.post(path, data=body, content_type="application/x-www-form-urlencoded")


def _admin_writes(admin, text):
    """The three admin and profile forms that store free text, each with ``text``."""
    return [
        (
            "/admin/organisations",
            {"name": text, "acronym": "NUL", "kind": "other", "parent_id": "", "description": text},
            None,
        ),
        (
            "/admin/users",
            {
                "name": text,
                "email": "nul%40example.org",
                "role": "viewer",
                "organisation_id": str(admin.organisation_id),
                "password": "long+enough+pass",
                "password_confirm": "long+enough+pass",
            },
            None,
        ),
        ("/profile/tokens", {"name": text}, "/profile"),
    ]


def test_text_with_nul_is_refused_before_any_handler(client, admin):
    """Every web form, not only the items': a NUL is a 400 that names it, and nothing is
    written."""
    before = db.session.scalar(select(func.count(AuditEvent.id)))
    for path, fields, form_path in _admin_writes(admin, "nul%00byte"):
        response = _raw_post(client, path, fields, form_path)
        assert response.status_code == 400, path
        assert "(NUL)" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(AuditEvent.id))) == before


def test_broken_utf8_in_a_form_is_stored_as_text_not_a_500(client, admin):
    answers = []
    for path, fields, form_path in _admin_writes(admin, "broken%FF%FEunicode"):
        answers.append(_raw_post(client, path, fields, form_path).status_code)
    assert answers == [302, 302, 201]
    db.session.expire_all()
    org = db.session.scalar(select(Organisation).where(Organisation.acronym == "NUL"))
    assert org.name.startswith("broken")
    assert org.name.endswith("unicode")
