"""The permissions walk's session helpers: logging a role in, and counting the changes the
audit trail records (a refused request must change nothing)."""

from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.extensions import db


def log_in(client, user) -> None:
    """What the login form leaves in the session (the form itself is tested in test_login)."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


NOT_CHANGES = ("export", "login", "logout")  # audited events that change no record


def audit_changes() -> int:
    """How many records were ever changed (audit events that are changes)."""
    db.session.expire_all()
    return db.session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.action.not_in(NOT_CHANGES))
    )
