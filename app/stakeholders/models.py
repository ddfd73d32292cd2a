"""Organisation: a stakeholder that leads or supports items, with an optional parent."""

from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import IdMixin, TimestampMixin
from app.extensions import Model

# Other domains' models, for the type checker only: at run time a relationship names them.
if TYPE_CHECKING:
    from app.items.models import Source

ORGANISATION_KINDS = (
    "un_mission",
    "eu_mission",
    "ministry",
    "security_force",
    "research_civil_society",
    "contributing_countries",
    "un_agency",
    "other",
)


class Organisation(IdMixin, TimestampMixin, Model):
    """A stakeholder organisation (the National Police belongs to its ministry)."""

    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(
            "kind IN (" + ", ".join(f"'{k}'" for k in ORGANISATION_KINDS) + ")", name="kind"
        ),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )

    name: Mapped[str] = mapped_column(String(200))
    acronym: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(40), default="other")
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    description: Mapped[str] = mapped_column(Text, default="")
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))

    parent: Mapped["Organisation | None"] = relationship(
        remote_side="Organisation.id", back_populates="children"
    )
    children: Mapped[list["Organisation"]] = relationship(
        back_populates="parent", order_by="Organisation.acronym"
    )
    source: Mapped["Source | None"] = relationship("Source")

    def __repr__(self) -> str:
        return f"<Organisation {self.acronym}>"
