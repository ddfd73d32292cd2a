"""Round, the items in its scope, and the report frozen when it closes."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import IdMixin, TimestampMixin
from app.extensions import Model

REPORT_FORMATS = ("json", "csv", "xlsx", "pdf")


class Round(IdMixin, TimestampMixin, Model):
    """A reporting round ("Q4 2026 report to the Security Council"): the open items matching
    ``filters`` when it was opened each need an update from their lead organisation between
    ``opens_on`` and ``due_on``."""

    __tablename__ = "rounds"
    __table_args__ = (
        CheckConstraint("opens_on <= due_on", name="dates"),
        CheckConstraint("starts_at < ends_at", name="window"),
    )

    title: Mapped[str] = mapped_column(String(200))
    opens_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    # The window in UTC, from the start of the opening day to the end of the due day, kept
    # with the dates so that "reported in the window" is one comparison on every database.
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    items: Mapped[list["RoundItem"]] = relationship(back_populates="round")
    reports: Mapped[list["RoundReport"]] = relationship(
        back_populates="round", order_by="RoundReport.id"
    )

    def audit_scope(self) -> tuple[str, int]:
        return ("rounds", self.id)

    def state(self, today: date) -> str:
        """``scheduled`` before it opens, ``open``, then ``closed``."""
        if self.closed_at is not None:
            return "closed"
        return "scheduled" if today < self.opens_on else "open"


class RoundItem(Model):
    """An item in a round's scope and the organisation that must report on it (its lead when
    the round opened)."""

    __tablename__ = "round_items"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[int] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    lead_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )

    round: Mapped[Round] = relationship(back_populates="items")

    def audit_scope(self) -> tuple[str, int]:
        return ("rounds", self.round_id)


class RoundReport(IdMixin, Model):
    """One file of the report frozen when the round closed, with its SHA-256: downloaded
    later byte for byte. The trail records its format, size and checksum, not its bytes."""

    __tablename__ = "round_reports"
    __audit_ignore__ = frozenset({"content"})
    __table_args__ = (
        UniqueConstraint("round_id", "format", name="uq_round_reports_format"),
        CheckConstraint(
            "format IN (" + ", ".join(f"'{f}'" for f in REPORT_FORMATS) + ")", name="format"
        ),
    )

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    format: Mapped[str] = mapped_column(String(10))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)  # read to download
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    as_of: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    round: Mapped[Round] = relationship(back_populates="reports")

    def audit_scope(self) -> tuple[str, int]:
        return ("rounds", self.round_id)
