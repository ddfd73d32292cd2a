"""The profile page: language, password change and API tokens."""

import re

import pytest
from sqlalchemy import select

from app.auth.models import ApiToken, User
from app.extensions import db
from tests.factories import PASSWORD, make_user
from tests.helpers import form_post, login


@pytest.fixture
def user(client):
    person = make_user("staff", name="Ibrahim")
    login(client, person)
    return person


def test_profile_page_shows_the_three_sections(client, user):
    response = client.get("/profile")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Ibrahim" in html
    assert "<legend>" in html
    assert 'name="current_password"' in html
    assert 'name="password_confirm"' in html
    assert "API tokens" in html
    assert 'href="/profile"' in html  # the header links to it


@pytest.mark.parametrize(("choice", "stored"), [("fr", "fr"), ("en", "en"), ("", None)])
def test_language_choice_is_saved_and_used(client, user, choice, stored):
    response = form_post(client, "/profile/language", {"language": choice}, form_path="/profile")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).language == stored
    page = client.get("/profile", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f'<html lang="{stored or "en"}">' in page


def test_the_chosen_language_beats_the_browser(client, user):
    form_post(client, "/profile/language", {"language": "fr"}, form_path="/profile")
    page = client.get("/profile", headers={"Accept-Language": "en-GB,en"})
    assert '<html lang="fr">' in page.get_data(as_text=True)


def test_unknown_language_is_refused(client, user):
    response = form_post(client, "/profile/language", {"language": "xx"}, form_path="/profile")
    assert response.status_code == 422
    assert 'id="language-error"' in response.get_data(as_text=True)


def test_password_change(client, user):
    response = form_post(
        client,
        "/profile/password",
        {
            "current_password": PASSWORD,
            "password": "a new long phrase",
            "password_confirm": "a new long phrase",
        },
        form_path="/profile",
    )
    assert response.status_code == 302
    login(client.application.test_client(), user, "a new long phrase")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"current_password": "wrong wrong wrong"}, "current_password"),
        ({"password_confirm": "not the same"}, "password_confirm"),
        ({"password": "short", "password_confirm": "short"}, "password"),
    ],
)
def test_password_change_errors(client, user, data, field):
    form = {
        "current_password": PASSWORD,
        "password": "a new long phrase",
        "password_confirm": "a new long phrase",
        **data,
    }
    response = form_post(client, "/profile/password", form, form_path="/profile")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert PASSWORD not in html
    assert "a new long phrase" not in html
    login(client.application.test_client(), user)  # the old password still works


def test_admins_also_give_their_current_password(client):
    admin = make_user("admin")
    login(client, admin)
    response = form_post(
        client,
        "/profile/password",
        {
            "current_password": "not my password",
            "password": "a new long phrase",
            "password_confirm": "a new long phrase",
        },
        form_path="/profile",
    )
    assert response.status_code == 422


def test_token_is_shown_once_then_listed_and_works(client, user):
    response = form_post(
        client, "/profile/tokens", {"name": "Donor spreadsheet"}, form_path="/profile"
    )
    assert response.status_code == 201
    html = response.get_data(as_text=True)
    plaintext = re.search(r'id="new-token"[^>]*value="(suivi_[^"]+)"', html).group(1)
    assert "only this once" in html
    assert response.headers["Cache-Control"] == "no-store"
    page = client.get("/profile").get_data(as_text=True)
    assert "Donor spreadsheet" in page
    assert plaintext not in page
    assert plaintext[:12] in page
    # The token works for the API door (bearer), and its use is recorded.
    bearer = client.application.test_client()
    assert (
        bearer.get("/api/v1/me", headers={"Authorization": f"Bearer {plaintext}"}).status_code
        == 200
    )
    db.session.expire_all()
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.last_used_at is not None


def test_token_needs_a_name(client, user):
    response = form_post(client, "/profile/tokens", {"name": "  "}, form_path="/profile")
    assert response.status_code == 422
    assert 'id="token_name-error"' in response.get_data(as_text=True)


def test_revoke_token(client, user):
    response = form_post(client, "/profile/tokens", {"name": "Script"}, form_path="/profile")
    plaintext = re.search(r'value="(suivi_[^"]+)"', response.get_data(as_text=True)).group(1)
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    response = form_post(client, f"/profile/tokens/{token.id}/revoke", {}, form_path="/profile")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked_at is not None
    assert "Revoked" in client.get("/profile").get_data(as_text=True)
    bearer = client.application.test_client()
    answer = bearer.get("/profile", headers={"Authorization": f"Bearer {plaintext}"})
    assert answer.status_code == 302  # no longer logged in: sent to the login page


def test_cannot_revoke_someone_elses_token(client, user):
    from app.auth import services
    from tests.factories import SYSTEM

    other = make_user("staff")
    token, _ = services.create_token(SYSTEM, other, "theirs")
    response = form_post(client, f"/profile/tokens/{token.id}/revoke", {}, form_path="/profile")
    assert response.status_code == 404
    assert (
        form_post(client, "/profile/tokens/999999/revoke", {}, form_path="/profile").status_code
        == 404
    )
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked_at is None


def test_profile_needs_login(client):
    response = client.get("/profile")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_password_form_marks_every_mistake_at_once(client, user):
    response = form_post(
        client,
        "/profile/password",
        {"current_password": "wrong wrong wrong", "password": "short", "password_confirm": "other"},
        form_path="/profile",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for field in ("current_password", "password", "password_confirm"):
        assert f'id="{field}-error"' in html, field
