"""What an import's cells name, loaded in a bounded number of statements: organisations,
themes, sources and users (all of them), the items whose codes the file names, and the links
between items (to find cycles)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased, selectinload

from app.auth.models import User
from app.extensions import db
from app.items.models import Item, Source, Theme, item_links
from app.stakeholders.models import Organisation

BATCH = 500


def _chunks(values: list[Any], size: int = BATCH) -> Iterable[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def item_options() -> list[Any]:
    return [
        selectinload(Item.supporting),
        selectinload(Item.themes),
        selectinload(Item.addresses),
        selectinload(Item.source),
        selectinload(Item.owner),
        selectinload(Item.lead),
    ]


@dataclass
class References:
    """Known records by the words a cell uses for them (casefolded)."""

    organisations: dict[str, Organisation] = field(default_factory=dict)
    themes: dict[str, Theme] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    users_by_email: dict[str, User] = field(default_factory=dict)
    users_by_name: dict[str, list[User]] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)  # by code (as written)
    items_by_id: dict[int, Item] = field(default_factory=dict)
    known_codes: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, codes: set[str], ids: set[int]) -> "References":
        refs = cls()
        for org in db.session.scalars(select(Organisation)):
            refs.organisations[org.acronym.casefold()] = org
        for theme in db.session.scalars(select(Theme)):
            refs.themes[theme.code.casefold()] = theme
        for source in db.session.scalars(select(Source)):
            refs.sources[source.key.casefold()] = source
        for user in db.session.scalars(select(User)):
            refs.users_by_email[user.email.casefold()] = user
            refs.users_by_name.setdefault(user.name.strip().casefold(), []).append(user)
        for chunk in _chunks(sorted(codes)):
            for item in db.session.scalars(
                select(Item).where(Item.code.in_(chunk)).options(*item_options())
            ):
                refs.items[item.code or ""] = item
        missing = [i for i in sorted(ids) if i not in refs.items_by_id]
        for chunk in _chunks(missing):
            for item in db.session.scalars(
                select(Item).where(Item.id.in_(chunk), Item.code.is_(None)).options(*item_options())
            ):
                refs.items_by_id[item.id] = item
        refs.known_codes = set(refs.items)
        return refs

    def item_by_code(self, code: str) -> Item | None:
        return self.items.get(code)


def stored_links() -> dict[str, list[str]]:
    """Every stored link, as ``{addressing item: [items addressed]}`` named by code (``#id``
    for an item without one)."""
    source, target = aliased(Item), aliased(Item)
    rows = db.session.execute(
        select(source.id, source.code, target.id, target.code)
        .select_from(item_links)
        .join(source, source.id == item_links.c.from_id)
        .join(target, target.id == item_links.c.to_id)
    )
    links: dict[str, list[str]] = {}
    for from_id, from_code, to_id, to_code in rows:
        links.setdefault(from_code or f"#{from_id}", []).append(to_code or f"#{to_id}")
    return links


def all_item_codes() -> list[str]:
    """Every item code, for suggestions."""
    return [c for c in db.session.scalars(select(Item.code).where(Item.code.is_not(None))) if c]
