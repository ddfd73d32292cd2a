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
    """``Authorization: Bearer <token>`` works wherever a session does (exports, reports)."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    user = services.user_for_token(header[len("Bearer ") :].strip())
    if user is not None:
        db.session.commit()  # keep last_used_at
    return user
