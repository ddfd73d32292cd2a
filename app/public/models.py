"""Publication: whether an item is shown on the public view, and the summary shown there."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import IdMixin, TimestampMixin
from app.extensions import Model

if TYPE_CHECKING:
    from app.items.models import Item


class Publication(IdMixin, TimestampMixin, Model):
    """One item's public face: a summary written for the public (never the item's internal
    text, notes or comments) and whether it is published. A row of its own, so that publishing
    never moves the item's version (a staff member's draft update does not conflict with it);
    it has its own version for two managers editing the summary at once."""

    __tablename__ = "publications"

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), unique=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    is_published: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    item: Mapped["Item"] = relationship()

    def audit_scope(self) -> tuple[str, int]:
        return ("items", self.item_id)
