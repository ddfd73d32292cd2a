"""Reads of the public view: published items only, with the item list's filters (the search
looks in the title, code and public summary, never in internal text)."""

from dataclasses import dataclass, replace

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.items.models import Item
from app.items.queries import ItemFilters, apply_filters, stale_days
from app.public.models import Publication


@dataclass
class PublicPage:
    """Published items with their publications, and how many match in all."""

    rows: list[tuple[Item, Publication]]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _published(filters: ItemFilters) -> Select:
    stmt = (
        select(Item, Publication)
        .join(Publication, Publication.item_id == Item.id)
        .where(Publication.is_published.is_(True))
    )
    # The search is the public one below; "assigned to" is not a public fact.
    stmt = apply_filters(stmt, replace(filters, q=None, owner=None), stale_days=stale_days())
    if filters.q:
        pattern = _like(filters.q)
        stmt = stmt.where(
            or_(
                func.lower(Item.title).like(pattern, escape="\\"),
                func.lower(func.coalesce(Item.code, "")).like(pattern, escape="\\"),
                func.lower(Publication.summary).like(pattern, escape="\\"),
            )
        )
    return stmt


def _rows(stmt: Select) -> list[tuple[Item, Publication]]:
    stmt = stmt.order_by(Item.id).options(
        selectinload(Item.lead),
        selectinload(Item.supporting),
        selectinload(Item.themes),
        selectinload(Item.current_response),
    )
    return [(item, publication) for item, publication in db.session.execute(stmt)]


def published_page(filters: ItemFilters, page: int, per_page: int) -> PublicPage:
    """One page of the published items matching ``filters``, by id."""
    stmt = _published(filters)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = _rows(stmt.limit(per_page).offset((page - 1) * per_page))
    return PublicPage(rows, page, per_page, total)


def published_all(filters: ItemFilters) -> list[tuple[Item, Publication]]:
    """Every published item matching ``filters`` (the CSV export), by id."""
    return _rows(_published(filters))


def published_item(item_id: int) -> tuple[Item, Publication] | None:
    """The item and its publication when it is published, else None."""
    stmt = _published(ItemFilters()).where(Item.id == item_id)
    rows = _rows(stmt)
    return rows[0] if rows else None
