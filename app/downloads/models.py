"""PreparedFile: a file built by a job for the user who asked for it, and its state."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import IdMixin
from app.core.time import utcnow
from app.extensions import Model

PREPARING = "preparing"
READY = "ready"
FAILED = "failed"
FILE_STATES = (PREPARING, READY, FAILED)


class PreparedFile(IdMixin, Model):
    """A file (a large XLSX or PDF report) a job builds for ``user_id`` from the request's
    ``query`` in the user's ``locale``; ``content`` once ready.

    Not audited: the request that asked for it wrote the export to the audit trail; this
    row is the machinery's (as a job is)."""

    __tablename__ = "prepared_files"
    __audit__ = False
    __table_args__ = (
        CheckConstraint("state IN ('preparing', 'ready', 'failed')", name="state"),
        Index("ix_prepared_files_user_id_created_at", "user_id", "created_at"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # what builds it: "report"
    format: Mapped[str] = mapped_column(String(10))
    query: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    locale: Mapped[str] = mapped_column(String(5), default="en")
    filename: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(10), default=PREPARING)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<PreparedFile {self.id} {self.format} {self.state}>"
