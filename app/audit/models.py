"""AuditEvent: one row per change, append-only and hash-chained."""

from datetime import datetime
from typing import Any, cast

from sqlalchemy import JSON, DateTime, Index, Integer, String, Table, text
from sqlalchemy.orm import Mapped, mapped_column

from app.audit import guard
from app.core.time import utcnow
from app.extensions import Model

# Updates whose field changes history rebuilds read (an item's lead and due date as they stood
# on a past day): each has a partial index, so that finding the first such change of a record
# after a day reads that record's few changes instead of parsing every later event's JSON.
INDEXED_CHANGES = (("items", "lead_id"), ("items", "due_date"))


def change_condition(dialect: str, record_type: str, field: str, table: str = "") -> str:
    """SQL for "an update of a ``record_type`` record that changed ``field``", written with
    literals: SQLite and PostgreSQL use a partial index only for a query that repeats its
    condition, so the index and the queries take theirs from here. ``table`` qualifies the
    columns (``"audit_events."``) where the query joins other tables."""
    changes = f"{table}changes"
    if dialect == "postgresql":
        changed = f"({changes} #>> '{{{field}}}') IS NOT NULL"
    else:
        changed = f"json_extract({changes}, '$.{field}') IS NOT NULL"
    return f"{table}record_type = '{record_type}' AND {table}action = 'update' AND {changed}"


def _change_index(record_type: str, field: str) -> Index:
    return Index(
        f"ix_audit_events_{record_type}_{field}_changes",
        "record_id",
        "created_at",
        "id",
        sqlite_where=text(change_condition("sqlite", record_type, field)),
        postgresql_where=text(change_condition("postgresql", record_type, field)),
    )


class AuditEvent(Model):
    """Who did what to which record, with the changed fields; never updated or deleted."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_record", "record_type", "record_id"),
        Index("ix_audit_events_scope", "scope_type", "scope_id"),
        *(_change_index(record_type, field) for record_type, field in INDEXED_CHANGES),
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
