"""The admin's user screens: create, edit, deactivate, reset, tokens; errors next to the fields."""

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from tests.factories import PASSWORD, make_org, make_user
from tests.helpers import csrf_token, form_post, login


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
