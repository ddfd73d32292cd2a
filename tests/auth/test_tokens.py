"""Bearer tokens: one reading of the header for every door, and a last use that never commits
someone else's work."""

from datetime import timedelta

import pytest
from flask import request
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth import loaders, services
from app.auth.models import ApiToken
from app.core.time import utcnow
from app.extensions import db
from app.stakeholders.models import Organisation
from tests.factories import SYSTEM, make_user


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer suivi_abc", "suivi_abc"),
        ("bearer suivi_abc", "suivi_abc"),
        ("BEARER   suivi_abc  ", "suivi_abc"),
        ("Basic c3Vpdmk6eA==", None),
        ("Bearer", None),
        ("Bearer    ", None),
        ("", None),
        (None, None),
    ],
)
def test_the_authorization_header_is_read_one_way(header, token):
    assert services.token_in_header(header) == token


def test_a_use_is_noted_at_most_every_five_minutes():
    user = make_user()
    token, plaintext = services.create_token(SYSTEM, user, "script")
    assert services.note_token_use(token) is True
    first = token.last_used_at
    assert services.note_token_use(token) is False
    assert token.last_used_at == first
    token.last_used_at = utcnow() - timedelta(minutes=5)
    assert services.note_token_use(token) is True
    assert token.last_used_at > first
    assert services.find_token(plaintext) is token
    services.revoke_token(user, token)
    assert services.find_token(plaintext) is None


def _uses(user_id: int) -> list:
    db.session.expire_all()
    return list(
        db.session.scalars(select(ApiToken.last_used_at).where(ApiToken.user_id == user_id))
    )


def test_the_report_loader_commits_nothing_itself(app):
    """Flask-Login's request loader only notes the token's use: a request that fails takes
    neither its own work nor that use with it (the commit point and ``keep_token_use`` decide)."""
    user = make_user()
    user_id = user.id
    _token, plaintext = services.create_token(SYSTEM, user, "reports")
    db.session.commit()
    headers = {"Authorization": f"Bearer {plaintext}"}
    with app.test_request_context("/reports/status.csv", headers=headers):
        db.session.add(Organisation(name="Half done", acronym="HALF", kind="other"))
        assert loaders.load_user_from_token(request).id == user_id
        db.session.rollback()
    assert _uses(user_id) == [None]
    assert db.session.scalar(select(Organisation).where(Organisation.acronym == "HALF")) is None


def test_a_report_download_keeps_the_tokens_use_even_when_refused(client):
    """The web door keeps a token's use as the API does: with the download's commit, or alone
    after a refusal (which writes nothing else: no export in the audit trail)."""
    user = make_user("viewer")
    _token, plaintext = services.create_token(SYSTEM, user, "reports")
    headers = {"Authorization": f"Bearer {plaintext}"}
    assert client.get("/reports/status.csv?as_of=2025-13-01", headers=headers).status_code == 400
    assert _uses(user.id) != [None]
    db.session.expire_all()
    assert db.session.query(AuditEvent).filter_by(action="export").count() == 0
    token = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).one()
    token.last_used_at = None
    db.session.flush()
    assert client.get("/reports/status.csv", headers=headers).status_code == 200
    assert _uses(user.id) != [None]
    assert db.session.query(AuditEvent).filter_by(action="export").count() == 1
