"""Watches, delivery choices and notifications."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import IdMixin
from app.core.time import utcnow
from app.extensions import Model

if TYPE_CHECKING:
    from app.auth.models import User
    from app.items.models import Item

IMMEDIATE, DAILY, WEEKLY, NONE = "immediate", "daily", "weekly", "none"
DELIVERIES = (IMMEDIATE, DAILY, WEEKLY, NONE)
DEFAULT_DELIVERY = DAILY
NOTIFICATION_KINDS = ("status", "verification", "comment", "evidence", "assignment", "response")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class Watch(IdMixin, Model):
    """A user's choice about one item: watching it, or not (``is_watching`` false stops
    the notifications a user would get as its owner or as staff of its lead)."""

    __tablename__ = "watches"
    __table_args__ = (UniqueConstraint("user_id", "item_id", name="uq_watches_user_item"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    is_watching: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def audit_scope(self) -> tuple[str, int]:
        return ("items", self.item_id)


class DeliveryChoice(Model):
    """How a user wants to hear: each change by mail, a daily or weekly digest, or nothing
    (no row: the daily digest)."""

    __tablename__ = "delivery_choices"
    __table_args__ = (CheckConstraint(_in("delivery", DELIVERIES), name="delivery"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    delivery: Mapped[str] = mapped_column(String(10), default=DEFAULT_DELIVERY)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Notification(IdMixin, Model):
    """What one user is told about one change of an item. Not audited: it follows from an
    audited change, in the same transaction, and is that change told to a watcher."""

    __tablename__ = "notifications"
    __audit__ = False
    __table_args__ = (
        CheckConstraint(_in("kind", NOTIFICATION_KINDS), name="kind"),
        Index("ix_notifications_user_id_created_at", "user_id", "created_at"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The immediate mail that told it, or the digest that included it.
    mail_id: Mapped[int | None] = mapped_column(
        ForeignKey("outgoing_mails.id", ondelete="SET NULL")
    )
    digested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    item: Mapped["Item"] = relationship()
    actor: Mapped["User | None"] = relationship(foreign_keys=[actor_id])


class ReminderSent(IdMixin, Model):
    """One thing a digest told one user (``overdue:<item>:<due date>``, ``due:…``,
    ``stale:<item>:<last update>``, ``round:<round>:<item>``), so it is never told twice.
    Not audited: the digest mail that told it is."""

    __tablename__ = "reminders_sent"
    __audit__ = False
    __table_args__ = (UniqueConstraint("user_id", "event_key", name="uq_reminders_sent_key"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    event_key: Mapped[str] = mapped_column(String(120))
    sent_on: Mapped[date] = mapped_column(Date)
    mail_id: Mapped[int | None] = mapped_column(
        ForeignKey("outgoing_mails.id", ondelete="SET NULL")
    )
