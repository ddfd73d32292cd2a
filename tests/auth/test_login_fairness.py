"""Fault 8: a login costs the same whatever the account, and nobody can lock a user out.
Every attempt is one argon2 verification (unknown email: against a dummy hash; locked or
deactivated account: against its own); ten wrong passwords lock the account for unknown
browsers only — the owner's known device still gets in with the right password."""

import pytest

from app.auth import passwords, services
from app.extensions import db
from tests.conftest import IsolatedClient
from tests.factories import PASSWORD, SYSTEM, make_user
from tests.helpers import csrf_token, login


@pytest.fixture
def verifications(monkeypatch):
    """Count argon2 verifications and hashes made by a login."""
    counts = {"verify": 0, "hash": 0}
    verify, hash_ = services.verify_password, services.hash_password

    def counting_verify(*args):
        counts["verify"] += 1
        return verify(*args)

    def counting_hash(*args):
        counts["hash"] += 1
        return hash_(*args)

    monkeypatch.setattr(services, "verify_password", counting_verify)
    monkeypatch.setattr(services, "hash_password", counting_hash)
    passwords.dummy_hash()  # made once per process, like a start-up cost
    return counts


def _locked(user):
    for _ in range(10):
        services.authenticate(user.email, "wrong password!")
    assert user.is_locked()


@pytest.mark.parametrize("case", ["unknown", "wrong", "locked", "deactivated", "right"])
def test_every_login_costs_one_verification(verifications, case):
    user = make_user(email=f"{case}@example.org")
    if case == "locked":
        _locked(user)
    if case == "deactivated":
        services.update_user(SYSTEM, user, is_active=False)
    verifications.update(verify=0, hash=0)
    email = "nobody@example.org" if case == "unknown" else user.email
    password = "wrong password!" if case == "wrong" else PASSWORD
    result = services.authenticate(email, password)
    assert (result is user) == (case == "right")
    assert verifications == {"verify": 1, "hash": 0}


def _attempt(client, email, password):
    data = {"email": email, "password": password, "csrf_token": csrf_token(client)}
    return client.post("/login", data=data)


def test_ten_wrong_passwords_do_not_lock_the_owner_out_of_a_known_device(app, client):
    user = make_user(email="owner@example.org")
    login(client, user)  # the owner's browser becomes a known device
    client.post("/logout", data={"csrf_token": csrf_token(client, "/profile")})
    attacker = IsolatedClient(app, app.response_class, use_cookies=True)
    for _ in range(10):
        assert _attempt(attacker, user.email, "wrong password!").status_code == 401
    db.session.expire_all()
    assert user.is_locked()
    assert _attempt(attacker, user.email, PASSWORD).status_code == 401  # the lock holds
    response = _attempt(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert client.get("/profile").status_code == 200
    db.session.expire_all()
    assert user.is_locked()  # still locked for everyone else
    assert _attempt(attacker, user.email, PASSWORD).status_code == 401


def test_a_device_cookie_is_bound_to_its_user(app, client):
    owner, other = make_user(email="a@example.org"), make_user(email="b@example.org")
    login(client, owner)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/profile")})
    _locked(other)
    db.session.commit()
    assert _attempt(client, other.email, PASSWORD).status_code == 401


def test_a_forged_device_cookie_is_ignored(app, client):
    user = make_user(email="forged@example.org")
    _locked(user)
    db.session.commit()
    client.set_cookie("suivi_device", f'{{"u": {user.id}}}', path="/login")
    assert _attempt(client, user.email, PASSWORD).status_code == 401
