"""Sources, themes, items and what hangs off an item: updates, comments, evidence, indicators."""

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import IdMixin, TimestampMixin
from app.core.time import utcnow
from app.extensions import Model, db
from app.items.workflow import NOT_STARTED, STATUSES

# Other domains' models, for the type checker only: at run time a relationship names them.
if TYPE_CHECKING:
    from app.auth.models import User
    from app.stakeholders.models import Organisation

ITEM_KINDS = ("challenge", "recommendation", "action", "opportunity")
PRIORITIES = ("high", "medium", "low")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class Source(IdMixin, TimestampMixin, Model):
    """A document items come from, with its citation."""

    __tablename__ = "sources"

    key: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    citation: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(500))


class Theme(IdMixin, TimestampMixin, Model):
    """A mandate area or topic; sub-tasks have a parent theme."""

    __tablename__ = "themes"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("themes.id", ondelete="RESTRICT"), index=True
    )
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))

    parent: Mapped["Theme | None"] = relationship(remote_side="Theme.id")
    source: Mapped[Source | None] = relationship()


item_themes = Table(
    "item_themes",
    db.metadata,
    Column("item_id", ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True, index=True),
)

item_supporters = Table(
    "item_supporters",
    db.metadata,
    Column("item_id", ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "organisation_id",
        ForeignKey("organisations.id", ondelete="RESTRICT"),
        primary_key=True,
        index=True,
    ),
)

# A recommendation, action or opportunity ``addresses`` a challenge; links are stored one way,
# from the addressing item to the item addressed, and read both ways.
item_links = Table(
    "item_links",
    db.metadata,
    Column("from_id", ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    Column("to_id", ForeignKey("items.id", ondelete="CASCADE"), primary_key=True, index=True),
    CheckConstraint("from_id <> to_id", name="not_self"),
)


class Item(IdMixin, TimestampMixin, Model):
    """A challenge, recommendation, action or opportunity that organisations must act on."""

    __tablename__ = "items"
    __table_args__ = (
        CheckConstraint(_in("kind", ITEM_KINDS), name="kind"),
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint(_in("priority", PRIORITIES), name="priority"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_range"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_items_status_due_date", "status", "due_date"),
        # Also covers the live summary (lead, status, due date, last update): an index-only
        # scan instead of 100,000 lookups of the rows.
        Index(
            "ix_items_lead_id_status_due_date_last_update_at",
            "lead_id",
            "status",
            "due_date",
            "last_update_at",
        ),
    )

    code: Mapped[str | None] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text, default="")
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"), index=True
    )
    source_section: Mapped[str] = mapped_column(String(300), default="")
    priority: Mapped[str] = mapped_column(String(10), default="medium")
    lead_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"))
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(30), default=NOT_STARTED)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # When the last status update was posted (creation until then): drives ``stale``.
    last_update_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    __mapper_args__ = {"version_id_col": version}

    source: Mapped[Source | None] = relationship()
    lead: Mapped["Organisation"] = relationship(foreign_keys=[lead_id])
    owner: Mapped["User | None"] = relationship(foreign_keys=[owner_id])
    supporting: Mapped[list["Organisation"]] = relationship(
        secondary=item_supporters, order_by="Organisation.acronym"
    )
    themes: Mapped[list[Theme]] = relationship(secondary=item_themes, order_by=Theme.code)
    addresses: Mapped[list["Item"]] = relationship(
        secondary=item_links,
        primaryjoin="Item.id == item_links.c.from_id",
        secondaryjoin="Item.id == item_links.c.to_id",
        back_populates="addressed_by",
        order_by="Item.id",
    )
    addressed_by: Mapped[list["Item"]] = relationship(
        secondary=item_links,
        primaryjoin="Item.id == item_links.c.to_id",
        secondaryjoin="Item.id == item_links.c.from_id",
        back_populates="addresses",
        order_by="Item.id",
    )
    indicators: Mapped[list["Indicator"]] = relationship(
        back_populates="item", order_by="Indicator.id"
    )
    # The formal response not yet superseded (read only: ``services.record_response`` writes).
    current_response: Mapped["Response | None"] = relationship(
        primaryjoin="and_(Item.id == Response.item_id, Response.superseded_at.is_(None))",
        viewonly=True,
        uselist=False,
    )

    def audit_scope(self) -> tuple[str, int]:
        return ("items", self.id)

    @property
    def links(self) -> list["Item"]:
        """Every linked item, whichever way the link was made."""
        return sorted({*self.addresses, *self.addressed_by}, key=lambda i: i.id)

    def __repr__(self) -> str:
        return f"<Item {self.id} {self.kind} {self.status}>"


class StatusUpdate(IdMixin, Model):
    """One entry of an item's history of work: status, progress and note."""

    __tablename__ = "status_updates"
    __table_args__ = (
        CheckConstraint(_in("from_status", STATUSES), name="from_status"),
        CheckConstraint(_in("to_status", STATUSES), name="to_status"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_range"),
        Index("ix_status_updates_item_id_created_at", "item_id", "created_at"),
    )

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[str] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    from_progress: Mapped[int] = mapped_column(Integer)
    progress: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )

    item: Mapped[Item] = relationship()
    author: Mapped["User | None"] = relationship()

    def audit_scope(self) -> tuple[str, int]:
        return ("items", self.item_id)


class Comment(IdMixin, TimestampMixin, Model):
    """A markdown comment on an item; edits are kept in the audit trail."""

    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_item_id_created_at", "item_id", "created_at"),)

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)

    item: Mapped[Item] = relationship()
    author: Mapped["User | None"] = relationship()

    def audit_scope(self) -> tuple[str, int]:
        return ("items", self.item_id)


class Evidence(IdMixin, Model):
    """A file or a link supporting an item's reported work."""

    __tablename__ = "evidence"
    __table_args__ = (
        CheckConstraint(_in("kind", ("file", "link")), name="kind"),
        CheckConstraint(
            "(kind = 'file' AND stored_name IS NOT NULL) OR (kind = 'link' AND url IS NOT NULL)",
            name="file_or_link",
        ),
        CheckConstraint("size_bytes IS NULL OR size_bytes >= 0", name="size"),
        CheckConstraint("withdrawn_at IS NULL OR withdrawn_reason <> ''", name="withdrawn_reason"),
    )

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    status_update_id: Mapped[int | None] = mapped_column(
        ForeignKey("status_updates.id", ondelete="SET NULL")
    )
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(300), default="")
    url: Mapped[str | None] = mapped_column(String(2000))
    filename: Mapped[str | None] = mapped_column(String(255))
    stored_name: Mapped[str | None] = mapped_column(String(100), unique=True)
    content_type: Mapped[str | None] = mapped_column(String(100))
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Withdrawn (attached by mistake): kept in the history, the file no longer served.
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    item: Mapped[Item] = relationship()
    uploaded_by: Mapped["User | None"] = relationship(foreign_keys=[uploaded_by_id])
    withdrawn_by: Mapped["User | None"] = relationship(foreign_keys=[withdrawn_by_id])

    def audit_scope(self) -> tuple[str, int]:
        return ("items", self.item_id)


class Indicator(IdMixin, TimestampMixin, Model):
    """A measurable sign of progress on an item, with baseline and target."""

    __tablename__ = "indicators"

    code: Mapped[str | None] = mapped_column(String(40), unique=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(50), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    baseline_value: Mapped[float | None] = mapped_column(Float)
    baseline_date: Mapped[date | None] = mapped_column(Date)
    target_value: Mapped[float | None] = mapped_column(Float)
    target_date: Mapped[date | None] = mapped_column(Date)

    item: Mapped[Item] = relationship(back_populates="indicators")
    measurements: Mapped[list["Measurement"]] = relationship(
        back_populates="indicator", order_by="Measurement.measured_on"
    )

    def audit_scope(self) -> tuple[str, int]:
        return ("items", self.item_id)


class Measurement(IdMixin, Model):
    """One dated value of an indicator."""

    __tablename__ = "measurements"
    __table_args__ = (UniqueConstraint("indicator_id", "measured_on", name="uq_measurements_day"),)

    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    value: Mapped[float] = mapped_column(Float)
    measured_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    indicator: Mapped[Indicator] = relationship(back_populates="measurements")

    def audit_scope(self) -> tuple[str, int]:
        return ("items", self.indicator.item_id)


RESPONSE_POSITIONS = ("accepted", "partially_accepted", "noted", "rejected")


class Response(IdMixin, Model):
    """One revision of the formal response of a recommendation's lead organisation. Every
    revision is kept; the current one is the one not yet superseded (one per item)."""

    __tablename__ = "responses"
    __table_args__ = (
        CheckConstraint(_in("position", RESPONSE_POSITIONS), name="position"),
        CheckConstraint(
            "superseded_at IS NULL OR superseded_at >= created_at", name="superseded_after"
        ),
        Index("ix_responses_item_id_created_at", "item_id", "created_at"),
        Index(
            "uq_responses_current",
            "item_id",
            unique=True,
            sqlite_where=sql_text("superseded_at IS NULL"),
            postgresql_where=sql_text("superseded_at IS NULL"),
        ),
    )

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    position: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text, default="")
    responded_on: Mapped[date] = mapped_column(Date)
    # Who recorded it, and the organisation it speaks for (the item's lead at the time).
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    item: Mapped[Item] = relationship()
    author: Mapped["User | None"] = relationship()
    organisation: Mapped["Organisation | None"] = relationship()

    def audit_scope(self) -> tuple[str, int]:
        return ("items", self.item_id)
