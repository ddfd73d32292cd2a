"""Fault 5: sessions end on the server. A session cookie saved before logout, a password
change, a deactivation or an admin's "end all sessions" is refused afterwards, on every
device; the admin's action is audited."""

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth import services
from app.extensions import db
from app.items.models import Comment
from tests.conftest import IsolatedClient
from tests.factories import PASSWORD, SYSTEM, make_item, make_user
from tests.helpers import csrf_token, form_post, login


@pytest.fixture
def admin(client):
    user = make_user("admin")
    login(client, user)
    return user


def _second_device(app, client) -> IsolatedClient:
    """Another client holding a copy of ``client``'s session cookie."""
    other = IsolatedClient(app, app.response_class, use_cookies=True)
    cookie = client.get_cookie("session")
    other.set_cookie("session", cookie.value)
    return other


def _reads_profile(some_client) -> bool:
    response = some_client.get("/profile")
    return response.status_code == 200


def test_a_cookie_saved_before_logout_is_refused_after_it(app, client):
    user = make_user("staff")
    login(client, user)
    saved = _second_device(app, client)
    assert _reads_profile(saved)
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/profile")})
    assert response.status_code == 302
    replay = saved.get("/profile")
    assert replay.status_code == 302
    assert "/login" in replay.headers["Location"]
    item = make_item(lead=user.organisation)
    db.session.commit()
    data = {"csrf_token": csrf_token(saved, "/login"), "body": "Still here?"}
    comment = saved.post(f"/items/{item.id}/comments", data=data)
    assert comment.status_code == 302
    assert "/login" in comment.headers["Location"]
    count = select(func.count(Comment.id)).where(Comment.item_id == item.id)
    assert db.session.scalar(count) == 0


def test_logout_ends_the_users_sessions_on_every_device(app, client):
    user = make_user("staff")
    login(client, user)
    laptop = IsolatedClient(app, app.response_class, use_cookies=True)
    login(laptop, user)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/profile")})
    assert not _reads_profile(laptop)


def test_a_password_change_ends_the_other_sessions(app, client):
    user = make_user("staff")
    login(client, user)
    saved = _second_device(app, client)
    services.set_password(SYSTEM, user, "a brand new passphrase")
    db.session.commit()
    assert not _reads_profile(saved)


def test_deactivation_ends_the_sessions(app, client):
    user = make_user("staff")
    login(client, user)
    services.update_user(SYSTEM, user, is_active=False)
    db.session.commit()
    assert not _reads_profile(client)


def test_an_admin_ends_every_session_of_a_user_and_it_is_audited(app, client, admin):
    user = make_user("staff")
    phone = IsolatedClient(app, app.response_class, use_cookies=True)
    login(phone, user)
    assert _reads_profile(phone)
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "End all sessions" in page
    response = form_post(client, f"/admin/users/{user.id}/sessions", {}, f"/admin/users/{user.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/users/{user.id}")
    assert not _reads_profile(phone)
    assert _reads_profile(client)  # the admin's own session goes on
    event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "end_sessions", AuditEvent.record_id == user.id
        )
    )
    assert event is not None
    assert event.actor_id == admin.id
    login(phone, user, PASSWORD)  # the user logs in again as usual
    assert _reads_profile(phone)


def test_only_an_admin_may_end_someone_elses_sessions(client):
    manager = make_user("manager")
    user = make_user("staff")
    login(client, manager)
    response = form_post(client, f"/admin/users/{user.id}/sessions", {}, "/profile")
    assert response.status_code == 403
