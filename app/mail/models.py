"""OutgoingMail: one message as composed, and what became of it."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import IdMixin
from app.core.time import utcnow
from app.extensions import Model

if TYPE_CHECKING:
    from app.auth.models import User

MAIL_STATES = ("queued", "sent", "failed")
MAIL_KINDS = ("notification", "digest", "reply")


class OutgoingMail(IdMixin, Model):
    """A message to one person: kept as sent (text and HTML) so a retry sends the same, and
    a failure is recorded, never lost. The trail records who was mailed what (the insert);
    the bodies and the sending's progress are not worth its events."""

    __tablename__ = "outgoing_mails"
    __audit_ignore__ = frozenset(
        {"text_body", "html_body", "state", "attempts", "error", "sent_at", "headers"}
    )
    __table_args__ = (
        CheckConstraint("state IN ('queued', 'sent', 'failed')", name="state"),
        CheckConstraint("kind IN ('notification', 'digest', 'reply')", name="kind"),
        Index("ix_outgoing_mails_user_id_created_at", "user_id", "created_at"),
    )

    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    headers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    message_id: Mapped[str] = mapped_column(String(250), unique=True)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped["User | None"] = relationship()

    def __repr__(self) -> str:
        return f"<OutgoingMail {self.id} {self.kind} {self.state}>"
