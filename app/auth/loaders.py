"""How Flask-Login finds the user: from the session cookie, or from a bearer token."""

from flask import Request

from app.auth import services
from app.auth.models import User
from app.extensions import db, login_manager


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The active user whose id the session holds, while their password is unchanged."""
    raw_id, _, fingerprint = user_id.partition(":")
    if not (raw_id.isascii() and raw_id.isdigit() and len(raw_id) <= 9):
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not user.is_active or fingerprint != user.session_fingerprint:
        return None
    return user


@login_manager.request_loader
def load_user_from_token(request: Request) -> User | None:
    """``Authorization: Bearer <token>`` works wherever a session does (exports, reports).

    The token's use is committed here only when the session held nothing before this lookup
    (no transaction, no pending change), so that the commit holds nothing but that use;
    otherwise the request's own commit carries it.
    """
    session = db.session()  # the request's session itself
    untouched = not (session.in_transaction() or session.new or session.dirty or session.deleted)
    token = services.find_token(services.token_in_header(request.headers.get("Authorization")))
    if token is None:
        return None
    if services.note_token_use(token) and untouched:
        session.commit()
    return token.user
