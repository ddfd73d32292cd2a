"""AuditEvent: one row per change, append-only and hash-chained."""

from datetime import datetime
from typing import Any, cast

from sqlalchemy import JSON, DateTime, Index, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from app.audit import guard
from app.core.time import utcnow
from app.extensions import Model


class AuditEvent(Model):
    """Who did what to which record, with the changed fields; never updated or deleted."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_record", "record_type", "record_id"),
        Index("ix_audit_events_scope", "scope_type", "scope_id"),
    )
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    # No foreign key: the trail outlives the users it names, and imports no domain.
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(20))
    record_type: Mapped[str] = mapped_column(String(50))
    record_id: Mapped[int | None] = mapped_column(Integer)
    # The record whose history this event belongs to (an item, for its comments and updates).
    scope_type: Mapped[str | None] = mapped_column(String(50))
    scope_id: Mapped[int | None] = mapped_column(Integer)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)


guard.attach(cast(Table, AuditEvent.__table__))  # typed as the wider FromClause
