"""What the permissions walk counts to tell a read from a change: audited changes."""

from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.extensions import db

NOT_CHANGES = ("export", "login")  # audited events that change no record


def audit_changes() -> int:
    """How many records were ever changed (audit events that are changes)."""
    db.session.expire_all()
    return db.session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.action.not_in(NOT_CHANGES))
    )
