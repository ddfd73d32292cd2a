"""Create, edit and assign items, and link challenges with what addresses them."""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from app import audit
from app.core.errors import N_, ValidationError
from app.core.time import utcnow
from app.core.validation import clean_text, parse_choice, parse_date
from app.extensions import db
from app.items import workflow
from app.items.models import ITEM_KINDS, PRIORITIES, Item
from app.items.services._common import check_version, flush, require_manager, set_if_changed

TITLE_MAX = 300
TEXT_MAX = 20_000

ITEM_FIELDS = frozenset(
    {
        "code",
        "kind",
        "title",
        "text",
        "source",
        "source_section",
        "priority",
        "lead",
        "supporting",
        "themes",
        "links",
        "owner",
        "due_date",
    }
)


def _distinct(objects: Iterable[Any], field: str) -> list[Any]:
    objects = list(objects or [])
    if any(o is None for o in objects):
        raise ValidationError(
            N_("%(field)s names something that does not exist."),
            fields={field: N_("Unknown id.")},
            field=field,
        )
    seen: dict[int, Any] = {}
    for obj in objects:
        seen.setdefault(obj.id, obj)
    return list(seen.values())


def _set_links(item: Item, linked: list[Item]) -> None:
    """Make ``linked`` exactly the items linked to ``item``, whichever way."""
    if any(other is item or (item.id and other.id == item.id) for other in linked):
        raise ValidationError(
            N_("An item cannot be linked to itself."),
            fields={"link_ids": N_("An item cannot be linked to itself.")},
        )
    wanted = {o.id for o in linked}
    for other in list(item.addresses):
        if other.id not in wanted:
            item.addresses.remove(other)
    for other in list(item.addressed_by):
        if other.id not in wanted:
            item.addressed_by.remove(other)
    present = {o.id for o in item.links}
    for other in linked:
        if other.id in present:
            continue
        # A challenge is addressed by the others; anything else addresses what it links to.
        if item.kind == "challenge" and other.kind != "challenge":
            item.addressed_by.append(other)
        else:
            item.addresses.append(other)


def _apply_item_fields(item: Item, data: dict[str, Any]) -> bool:
    unknown = set(data) - ITEM_FIELDS
    if unknown:
        raise ValidationError(
            N_("Unknown fields: %(names)s."),
            fields={f: N_("Unknown field.") for f in unknown},
            names=", ".join(sorted(unknown)),
        )
    changed = False
    if "code" in data:
        code = clean_text(data["code"], "code", 40, required=False) or None
        taken = (
            code
            and code != item.code
            and db.session.scalar(select(Item.id).where(Item.code == code))
        )
        if taken:
            raise ValidationError(
                N_("The code %(code)s is already used."),
                fields={"code": N_("Already used.")},
                code=code,
            )
        changed |= set_if_changed(item, "code", code)
    if "kind" in data:
        changed |= set_if_changed(item, "kind", parse_choice(data["kind"], "kind", ITEM_KINDS))
    if "title" in data:
        changed |= set_if_changed(item, "title", clean_text(data["title"], "title", TITLE_MAX))
    if "text" in data:
        changed |= set_if_changed(
            item, "text", clean_text(data["text"], "text", TEXT_MAX, required=False)
        )
    if "source" in data:
        changed |= set_if_changed(item, "source", data["source"])
    if "source_section" in data:
        changed |= set_if_changed(
            item,
            "source_section",
            clean_text(data["source_section"], "source_section", 300, required=False),
        )
    if "priority" in data:
        changed |= set_if_changed(
            item, "priority", parse_choice(data["priority"], "priority", PRIORITIES)
        )
    if "lead" in data:
        if data["lead"] is None:
            raise ValidationError(
                N_("A lead organisation is required."), fields={"lead_id": N_("Required.")}
            )
        changed |= set_if_changed(item, "lead", data["lead"])
    if "supporting" in data:
        supporting = _distinct(data["supporting"], "supporting_ids")
        if {o.id for o in supporting} != {o.id for o in item.supporting}:
            item.supporting = supporting
            changed = True
    if "themes" in data:
        themes = _distinct(data["themes"], "theme_ids")
        if {t.id for t in themes} != {t.id for t in item.themes}:
            item.themes = themes
            changed = True
    if "links" in data:
        links = _distinct(data["links"], "link_ids")
        if {o.id for o in links} != {o.id for o in item.links}:
            _set_links(item, links)
            changed = True
    if "owner" in data:
        owner = data["owner"]
        if owner is not None and not owner.is_active:
            raise ValidationError(
                N_("The owner must be an active user."), fields={"owner_id": N_("Inactive user.")}
            )
        changed |= set_if_changed(item, "owner", owner)
    if "due_date" in data:
        changed |= set_if_changed(item, "due_date", parse_date(data["due_date"], "due_date"))
    if item.lead is not None and any(o.id == item.lead.id for o in item.supporting):
        raise ValidationError(
            N_("The lead organisation cannot also be a supporting one."),
            fields={"supporting_ids": N_("Remove the lead from the supporting organisations.")},
        )
    return changed


def create_item(actor, **data: Any) -> Item:
    """Create an item (manager, admin). Fields: kind, title, text, lead (required), code,
    source, source_section, priority, supporting, themes, links, owner, due_date."""
    require_manager(actor)
    audit.set_actor(db.session, actor)
    for required in ("kind", "title", "lead"):
        data.setdefault(required, None)
    now = utcnow()
    item = Item(
        status=workflow.NOT_STARTED,
        progress=0,
        priority="medium",
        text="",
        source_section="",
        created_by_id=actor.id,
        last_update_at=now,
    )
    with db.session.no_autoflush:
        _apply_item_fields(item, data)
    db.session.add(item)
    flush()
    return item


def edit_item(actor, item: Item, version: Any, **data: Any) -> bool:
    """Change an item's fields (manager, admin); True when something changed."""
    require_manager(actor)
    check_version(item, version)
    audit.set_actor(db.session, actor)
    with db.session.no_autoflush:
        changed = _apply_item_fields(item, data)
    if changed:
        item.updated_at = utcnow()  # the row is updated, so the version moves on
        flush()
    return changed
