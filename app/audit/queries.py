"""Reads of the audit trail: the events of one record, or of one record's history, oldest first."""

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db


def events_in_scope(scope_type: str, scope_id: int) -> list[AuditEvent]:
    """Every event whose scope is ``(scope_type, scope_id)`` (an item, its updates, comments,
    evidence and indicators), in the order they were written."""
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.scope_type == scope_type, AuditEvent.scope_id == scope_id)
        .order_by(AuditEvent.id)
    )
    return list(db.session.scalars(stmt))


def record_events(record_type: str, record_id: int) -> list[AuditEvent]:
    """Every event about one record itself (its insert, updates and delete), oldest first."""
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.record_type == record_type, AuditEvent.record_id == record_id)
        .order_by(AuditEvent.id)
    )
    return list(db.session.scalars(stmt))
