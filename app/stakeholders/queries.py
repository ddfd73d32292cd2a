"""Reads of organisations: the lists every form, filter and admin page offers to choose from."""

from collections import defaultdict

from sqlalchemy import Row, select

from app.core.natural import natural_sorted
from app.extensions import db
from app.stakeholders.models import Organisation


def organisations_by_acronym() -> list[Row]:
    """``(id, acronym, name)`` of every organisation, by acronym in natural order (filters
    and item forms)."""
    rows = db.session.execute(select(Organisation.id, Organisation.acronym, Organisation.name))
    return natural_sorted(list(rows.all()), "acronym")


def organisation_tree() -> list[tuple[Organisation, int]]:
    """Every organisation with its depth, parents before their children, by name (one query)."""
    orgs = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    children: dict[int | None, list[Organisation]] = defaultdict(list)
    ids = {org.id for org in orgs}
    for org in orgs:
        children[org.parent_id if org.parent_id in ids else None].append(org)
    tree: list[tuple[Organisation, int]] = []
    seen: set[int] = set()

    def walk(parent_id: int | None, depth: int) -> None:
        for org in children.get(parent_id, []):
            if org.id not in seen:
                seen.add(org.id)
                tree.append((org, depth))
                walk(org.id, depth + 1)

    walk(None, 0)
    return tree
