"""Users, passwords, login locking and API tokens."""

import pytest

from app.auth import services
from app.core.errors import PermissionDenied, ValidationError
from app.extensions import db
from tests.factories import PASSWORD, SYSTEM, make_org, make_user


def test_passwords_are_stored_as_argon2_hashes():
    user = make_user()
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


@pytest.mark.parametrize("password", ["", "short", "aaaaaaaaaaaa", "password123", None])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        make_user(password=password)


def test_duplicate_email_is_refused_whatever_the_case():
    make_user(email="Ana@Example.org")
    with pytest.raises(ValidationError):
        make_user(email="ana@example.ORG")


def test_unknown_role_is_refused():
    with pytest.raises(ValidationError):
        make_user(role="superuser")


def test_only_admins_manage_users():
    org = make_org()
    manager = make_user("manager", org)
    with pytest.raises(PermissionDenied):
        services.create_user(
            manager,
            email="x@example.org",
            name="X",
            role="staff",
            organisation=org,
            password=PASSWORD,
        )


def test_login_succeeds_and_failures_lock_the_account():
    user = make_user(email="lock@example.org")
    assert services.authenticate("LOCK@example.org", PASSWORD) is user
    for _ in range(10):
        assert services.authenticate("lock@example.org", "wrong-password!") is None
    assert user.is_locked()
    assert services.authenticate("lock@example.org", PASSWORD) is None
    services.set_password(SYSTEM, user, "a-new-long-password")
    assert not user.is_locked()
    assert services.authenticate("lock@example.org", "a-new-long-password") is user


def test_unknown_email_and_inactive_user_cannot_log_in():
    user = make_user(email="gone@example.org")
    assert services.authenticate("nobody@example.org", PASSWORD) is None
    services.update_user(SYSTEM, user, is_active=False)
    assert services.authenticate("gone@example.org", PASSWORD) is None


def test_tokens_are_hashed_revocable_and_die_with_the_user():
    user = make_user()
    token, plaintext = services.create_token(user, user, "dashboard")
    assert plaintext not in token.token_hash
    assert len(token.token_hash) == 64
    assert services.user_for_token(plaintext) is user
    assert token.last_used_at is not None
    services.update_user(SYSTEM, user, is_active=False)
    assert services.user_for_token(plaintext) is None
    services.update_user(SYSTEM, user, is_active=True)
    services.revoke_token(user, token)
    assert services.user_for_token(plaintext) is None
    assert services.user_for_token("suivi_not-a-token") is None
    db.session.flush()


def test_a_user_cannot_make_tokens_for_another():
    a, b = make_user(), make_user()
    with pytest.raises(PermissionDenied):
        services.create_token(a, b, "theirs")


def test_a_user_changes_their_password_with_the_current_one():
    user = make_user()
    with pytest.raises(ValidationError):
        services.set_password(user, user, "another-long-one", current_password="wrong")
    services.set_password(user, user, "another-long-one", current_password=PASSWORD)
    assert services.authenticate(user.email, "another-long-one") is user


def test_the_last_active_admin_cannot_step_down():
    admin = make_user("admin")
    with pytest.raises(ValidationError):
        services.update_user(admin, admin, role="manager")
    other = make_user("admin")
    services.update_user(admin, admin, role="manager")
    assert admin.role == "manager"
    with pytest.raises(ValidationError):
        services.update_user(SYSTEM, other, is_active=False)
    assert other.role == "admin"
    assert other.is_active


def test_a_password_change_ends_the_other_sessions(app):
    from app.auth.loaders import load_user

    user = make_user()
    old_id = user.get_id()
    with app.test_request_context():
        assert load_user(old_id) is user
    services.set_password(SYSTEM, user, "another-long-password")
    with app.test_request_context():
        assert load_user(old_id) is None
        assert load_user(user.get_id()) is user
