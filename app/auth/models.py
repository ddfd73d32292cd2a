"""User accounts with a role and an organisation, and their hashed API tokens."""

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import IdMixin, TimestampMixin
from app.core.roles import ROLES
from app.core.time import as_utc, utcnow
from app.extensions import Model

# Other domains' models, for the type checker only: at run time a relationship names them.
if TYPE_CHECKING:
    from app.stakeholders.models import Organisation


class User(UserMixin, IdMixin, TimestampMixin, Model):
    """A person who logs in; ``role`` is viewer, staff, manager or admin."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN (" + ", ".join(f"'{r}'" for r in ROLES) + ")", name="role"),
        CheckConstraint("language IS NULL OR language IN ('en', 'fr')", name="language"),
        CheckConstraint("failed_logins >= 0", name="failed_logins"),
    )
    __audit_redact__ = frozenset({"password_hash"})
    # Raised to end every session; the audit records that as its own event (end_sessions).
    __audit_ignore__ = frozenset({"session_epoch"})

    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="viewer", index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    is_active: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str | None] = mapped_column(String(5))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    organisation: Mapped["Organisation"] = relationship(lazy="joined")
    tokens: Mapped[list["ApiToken"]] = relationship(back_populates="user", order_by="ApiToken.id")

    def get_id(self) -> str:
        """The session's user id, bound to the password and the session epoch: changing
        either (a new password, a logout, an admin ending the sessions) ends every session
        made before."""
        return f"{self.id}:{self.session_fingerprint}"

    @property
    def session_fingerprint(self) -> str:
        bound = f"{self.password_hash}:{self.session_epoch or 0}"
        return hashlib.sha256(bound.encode("utf-8")).hexdigest()[:16]

    def is_locked(self, now: datetime | None = None) -> bool:
        """True while repeated login failures keep the account locked."""
        locked_until = as_utc(self.locked_until)
        return locked_until is not None and locked_until > (now or utcnow())

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class ApiToken(IdMixin, Model):
    """A named bearer token; only its SHA-256 hash is stored."""

    __tablename__ = "api_tokens"
    __audit_redact__ = frozenset({"token_hash"})
    __audit_ignore__ = frozenset({"last_used_at"})  # a read, not a change worth an event

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(back_populates="tokens")
