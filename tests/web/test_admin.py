"""The admin screens: users and organisations, admins only, errors next to the fields."""

import re

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.models import User
from app.extensions import db
from app.stakeholders.models import Organisation
from tests.factories import PASSWORD, make_org, make_user
from tests.helpers import csrf_token, form_post, login


@pytest.fixture
def admin(client):
    user = make_user("admin", name="Awa Admin")
    login(client, user)
    return user


def test_users_page_lists_users_with_role_organisation_and_last_login(client, admin):
    org = make_org("EUTM", name="EU Training Mission")
    make_user("manager", organisation=org, name="Moussa Manager", email="moussa@example.org")
    html = client.get("/admin/users").get_data(as_text=True)
    assert "Moussa Manager" in html
    assert "moussa@example.org" in html
    assert "EUTM" in html
    assert "Manager" in html
    assert html.count("<h1") == 1
    # The admin logged in through the form, so their last login is known; the other never did.
    assert "Never" in html


def test_admin_creates_a_user(client, admin):
    org = make_org("IMRAP")
    response = form_post(
        client,
        "/admin/users",
        {
            "name": "Fatoumata",
            "email": "Fatou@Example.org",
            "role": "staff",
            "organisation_id": str(org.id),
            "language": "fr",
            "password": "une phrase assez longue",
            "password_confirm": "une phrase assez longue",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == "fatou@example.org"))
    assert user.role == "staff"
    assert user.organisation_id == org.id
    assert user.language == "fr"
    assert response.headers["Location"].endswith(f"/admin/users/{user.id}")
    assert client.get(response.headers["Location"]).status_code == 200
    # The new user can log in with the password the admin gave.
    other = client.application.test_client()
    login(other, user, "une phrase assez longue")


def test_create_user_errors_are_shown_next_to_the_fields_with_what_was_typed(client, admin):
    make_user(email="taken@example.org")
    response = form_post(
        client,
        "/admin/users",
        {
            "name": "Someone",
            "email": "taken@example.org",
            "role": "staff",
            "organisation_id": str(admin.organisation_id),
            "password": "long enough pass",
            "password_confirm": "long enough pass",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="email-error"' in html
    assert "Already registered." in html
    assert 'value="Someone"' in html
    assert 'value="taken@example.org"' in html
    assert "long enough pass" not in html  # passwords are never sent back


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"organisation_id": ""}, "organisation_id"),
        ({"organisation_id": "999999"}, "organisation_id"),
        ({"organisation_id": "abc"}, "organisation_id"),
        ({"role": "emperor"}, "role"),
        ({"email": "not-an-address"}, "email"),
        ({"name": "  "}, "name"),
        ({"password": "short", "password_confirm": "short"}, "password"),
        ({"password_confirm": "something else"}, "password_confirm"),
        ({"language": "de"}, "language"),
    ],
)
def test_create_user_refuses_bad_input(client, admin, data, field):
    form = {
        "name": "N",
        "email": "new@example.org",
        "role": "viewer",
        "organisation_id": str(admin.organisation_id),
        "language": "",
        "password": "long enough pass",
        "password_confirm": "long enough pass",
        **data,
    }
    response = form_post(client, "/admin/users", form)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(User).where(User.email == "new@example.org")) is None


def test_admin_changes_name_role_organisation_and_language(client, admin):
    user = make_user("viewer")
    org = make_org("GN")
    response = form_post(
        client,
        f"/admin/users/{user.id}",
        {"name": "Renamed", "role": "manager", "organisation_id": str(org.id), "language": "en"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert (user.name, user.role, user.organisation_id, user.language) == (
        "Renamed",
        "manager",
        org.id,
        "en",
    )
    assert "are saved" in client.get(f"/admin/users/{user.id}").get_data(as_text=True)


def test_edit_user_error_keeps_what_was_typed(client, admin):
    user = make_user("viewer", name="Before")
    response = form_post(
        client,
        f"/admin/users/{user.id}",
        {
            "name": "Typed",
            "role": "nobody",
            "organisation_id": str(user.organisation_id),
            "language": "",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="role-error"' in html
    assert 'value="Typed"' in html
    db.session.expire_all()
    assert db.session.get(User, user.id).name == "Before"


def test_deactivate_and_reactivate(client, admin):
    user = make_user("staff")
    path = f"/admin/users/{user.id}/active"
    form = f"/admin/users/{user.id}"
    assert form_post(client, path, {"is_active": "0"}, form_path=form).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).is_active is False
    # A deactivated user cannot log in.
    other = client.application.test_client()
    response = other.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(other)}
    )
    assert response.status_code == 401
    assert form_post(client, path, {"is_active": "1"}, form_path=form).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).is_active is True
    assert form_post(client, path, {"is_active": "maybe"}, form_path=form).status_code == 422


def test_admin_cannot_deactivate_themself(client, admin):
    response = form_post(
        client,
        f"/admin/users/{admin.id}/active",
        {"is_active": "0"},
        form_path=f"/admin/users/{admin.id}",
    )
    assert response.status_code == 422
    assert "You cannot deactivate yourself." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).is_active is True


def test_reset_password_lifts_the_lock(client, admin, app):
    user = make_user("staff")
    stranger = client.application.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        stranger.post(
            "/login",
            data={
                "email": user.email,
                "password": "wrong wrong wrong",
                "csrf_token": csrf_token(stranger),
            },
        )
    assert "Locked after failed logins" in client.get(f"/admin/users/{user.id}").get_data(
        as_text=True
    )
    path = f"/admin/users/{user.id}/password"
    bad = form_post(
        client,
        path,
        {"password": "new pass phrase", "password_confirm": "other"},
        form_path=f"/admin/users/{user.id}",
    )
    assert bad.status_code == 422
    assert 'id="password_confirm-error"' in bad.get_data(as_text=True)
    weak = form_post(
        client,
        path,
        {"password": "short", "password_confirm": "short"},
        form_path=f"/admin/users/{user.id}",
    )
    assert weak.status_code == 422
    assert 'id="password-error"' in weak.get_data(as_text=True)
    ok = form_post(
        client,
        path,
        {"password": "new pass phrase", "password_confirm": "new pass phrase"},
        form_path=f"/admin/users/{user.id}",
    )
    assert ok.status_code == 302
    login(client.application.test_client(), user, "new pass phrase")


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


def test_organisations_are_listed_as_a_tree(client, admin):
    ministry = make_org("MSIPC", name="Ministry of Internal Security", kind="ministry")
    make_org("PN", name="National Police", kind="security_force", parent=ministry)
    make_org("AAA", name="Aardvark Association")
    html = client.get("/admin/organisations").get_data(as_text=True)
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    names = [re.sub(r"<[^>]+>", "", row).split()[0:3] for row in rows]
    flat = [" ".join(n) for n in names]
    ministry_row = next(i for i, n in enumerate(flat) if "Ministry" in n)
    police_row = next(i for i, n in enumerate(flat) if "National" in n)
    assert police_row == ministry_row + 1  # the child right under its parent
    assert "Security force" in html
    assert "MSIPC" in html


def test_admin_creates_an_organisation_under_a_parent(client, admin):
    parent = make_org("MDAC", kind="ministry")
    response = form_post(
        client,
        "/admin/organisations",
        {
            "name": "Garde nationale",
            "acronym": "GN",
            "kind": "security_force",
            "parent_id": str(parent.id),
            "description": "Under the ministry.",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    org = db.session.scalar(select(Organisation).where(Organisation.acronym == "GN"))
    assert org.parent_id == parent.id
    assert org.kind == "security_force"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"acronym": "TAKEN"}, "acronym"),
        ({"acronym": ""}, "acronym"),
        ({"name": ""}, "name"),
        ({"kind": "club"}, "kind"),
        ({"parent_id": "999999"}, "parent_id"),
    ],
)
def test_create_organisation_refuses_bad_input(client, admin, data, field):
    make_org("TAKEN")
    form = {
        "name": "New org",
        "acronym": "NEW",
        "kind": "other",
        "parent_id": "",
        "description": "",
        **data,
    }
    response = form_post(client, "/admin/organisations", form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert f'value="{form["name"]}"' in html


def test_edit_organisation_and_see_its_facts(client, admin):
    org = make_org(
        "MINUSMA",
        name="Mission",
        kind="un_mission",
        facts={"authorised_military": 11200, "headquarters": "Bamako"},
    )
    html = client.get(f"/admin/organisations/{org.id}").get_data(as_text=True)
    assert "Authorised military" in html
    assert "11,200" in html
    assert "Bamako" in html
    response = form_post(
        client,
        f"/admin/organisations/{org.id}",
        {
            "name": "Mission multidimensionnelle",
            "acronym": "MINUSMA",
            "kind": "un_mission",
            "parent_id": "",
            "description": "Established in 2013.",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    org = db.session.get(Organisation, org.id)
    assert org.name == "Mission multidimensionnelle"
    assert org.description == "Established in 2013."
    assert org.facts["authorised_military"] == 11200  # facts are kept


def test_an_organisation_cannot_sit_under_its_own_child(client, admin):
    parent = make_org("P")
    child = make_org("C", parent=parent)
    response = form_post(
        client,
        f"/admin/organisations/{parent.id}",
        {
            "name": "P",
            "acronym": "P",
            "kind": "other",
            "parent_id": str(child.id),
            "description": "",
        },
    )
    assert response.status_code == 422
    assert 'id="parent_id-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Organisation, parent.id).parent_id is None


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


def test_admin_sees_and_revokes_a_users_tokens(client, admin):
    from app.auth import services
    from app.auth.models import ApiToken
    from tests.factories import SYSTEM

    user = make_user("staff")
    token, _plaintext = services.create_token(SYSTEM, user, "Laptop script")
    html = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "Laptop script" in html
    assert token.prefix in html
    path = f"/admin/users/{user.id}/tokens/{token.id}/revoke"
    assert form_post(client, path, {}, form_path=f"/admin/users/{user.id}").status_code == 302
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked_at is not None
    db.session.expire_all()
    assert db.session.get(User, user.id).is_active  # the user keeps their account
    # A token of someone else under this user's address is not found.
    other, _ = services.create_token(SYSTEM, admin, "mine")
    assert (
        form_post(
            client, f"/admin/users/{user.id}/tokens/{other.id}/revoke", {}, form_path="/admin/users"
        ).status_code
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


def test_an_admin_who_gives_up_the_role_lands_outside_admin(client, admin):
    make_user("admin")  # Suivi keeps at least one active admin
    response = form_post(
        client,
        f"/admin/users/{admin.id}",
        {
            "name": admin.name,
            "role": "manager",
            "organisation_id": str(admin.organisation_id),
            "language": "",
        },
    )
    assert response.status_code == 302
    assert "/admin" not in response.headers["Location"]
    assert client.get("/admin/users").status_code == 403


def test_the_last_admin_cannot_give_up_the_role(client, admin):
    response = form_post(
        client,
        f"/admin/users/{admin.id}",
        {
            "name": admin.name,
            "role": "manager",
            "organisation_id": str(admin.organisation_id),
            "language": "",
        },
    )
    assert response.status_code == 422
    assert "at least one active admin" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).role == "admin"


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
