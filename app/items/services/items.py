"""Create, edit and assign items, and link challenges with what addresses them."""

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select

from app import audit
from app.core.actor import Actor
from app.core.errors import N_, ValidationError
from app.core.time import utcnow
from app.core.validation import clean_text, parse_choice, parse_date
from app.extensions import db
from app.items import events, workflow
from app.items.models import ITEM_KINDS, PRIORITIES, Item
from app.items.services._common import check_version, flush, require_manager, set_if_changed

TITLE_MAX = 300
TEXT_MAX = 20_000


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


def _unused_code(item: Item, value: Any) -> str | None:
    code = clean_text(value, "code", 40, required=False) or None
    taken = (
        code and code != item.code and db.session.scalar(select(Item.id).where(Item.code == code))
    )
    if taken:
        raise ValidationError(
            N_("The code %(code)s is already used."),
            fields={"code": N_("Already used.")},
            code=code,
        )
    return code


def _required_lead(item: Item, value: Any) -> Any:
    if value is None:
        raise ValidationError(
            N_("A lead organisation is required."), fields={"lead_id": N_("Required.")}
        )
    return value


def _active_owner(item: Item, value: Any) -> Any:
    if value is not None and not value.is_active:
        raise ValidationError(
            N_("The owner must be an active user."), fields={"owner_id": N_("Inactive user.")}
        )
    return value


FieldSetter = Callable[[Item, str, Any], bool]


def _value(parse: Callable[[Item, Any], Any]) -> FieldSetter:
    """Set a field to its parsed value when it differs."""

    def apply(item: Item, field: str, value: Any) -> bool:
        return set_if_changed(item, field, parse(item, value))

    return apply


def _collection(error_field: str) -> FieldSetter:
    """Make a list of records (organisations, themes) exactly the ones given."""

    def apply(item: Item, field: str, value: Any) -> bool:
        wanted = _distinct(value, error_field)
        if {o.id for o in wanted} == {o.id for o in getattr(item, field)}:
            return False
        setattr(item, field, wanted)
        return True

    return apply


def _links(item: Item, field: str, value: Any) -> bool:
    links = _distinct(value, "link_ids")
    if {o.id for o in links} == {o.id for o in item.links}:
        return False
    _set_links(item, links)
    return True


def _addresses(item: Item, field: str, value: Any) -> bool:
    """Make ``value`` exactly the items ``item`` addresses (the import's column); the links
    made the other way (items addressing this one) stay."""
    targets = _distinct(value, "addresses")
    if any(other is item or (item.id and other.id == item.id) for other in targets):
        raise ValidationError(
            N_("An item cannot be linked to itself."),
            fields={"addresses": N_("An item cannot be linked to itself.")},
        )
    if {o.id for o in targets} == {o.id for o in item.addresses}:
        return False
    item.addresses = targets
    return True


# Each field an item takes and how it is set, in the order they are checked.
_SETTERS: dict[str, FieldSetter] = {
    "code": _value(_unused_code),
    "kind": _value(lambda item, v: parse_choice(v, "kind", ITEM_KINDS)),
    "title": _value(lambda item, v: clean_text(v, "title", TITLE_MAX)),
    "text": _value(lambda item, v: clean_text(v, "text", TEXT_MAX, required=False)),
    "source": _value(lambda item, v: v),
    "source_section": _value(lambda item, v: clean_text(v, "source_section", 300, required=False)),
    "priority": _value(lambda item, v: parse_choice(v, "priority", PRIORITIES)),
    "lead": _value(_required_lead),
    "supporting": _collection("supporting_ids"),
    "themes": _collection("theme_ids"),
    "links": _links,
    "addresses": _addresses,
    "owner": _value(_active_owner),
    "due_date": _value(lambda item, v: parse_date(v, "due_date")),
}
ITEM_FIELDS = frozenset(_SETTERS)


def _apply_item_fields(item: Item, data: dict[str, Any]) -> bool:
    unknown = set(data) - ITEM_FIELDS
    if unknown:
        raise ValidationError(
            N_("Unknown fields: %(names)s."),
            fields={f: N_("Unknown field.") for f in unknown},
            names=", ".join(sorted(unknown)),
        )
    changed = False
    for field, apply in _SETTERS.items():
        if field in data:
            changed |= apply(item, field, data[field])
    if item.lead is not None and any(o.id == item.lead.id for o in item.supporting):
        raise ValidationError(
            N_("The lead organisation cannot also be a supporting one."),
            fields={"supporting_ids": N_("Remove the lead from the supporting organisations.")},
        )
    return changed


def create_item(actor: Actor, **data: Any) -> Item:
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


def edit_item(actor: Actor, item: Item, version: Any, **data: Any) -> bool:
    """Change an item's fields (manager, admin); True when something changed."""
    require_manager(actor)
    check_version(item, version)
    audit.set_actor(db.session, actor)
    before = (item.lead_id, item.owner_id)
    with db.session.no_autoflush:
        changed = _apply_item_fields(item, data)
    if changed:
        item.updated_at = utcnow()  # the row is updated, so the version moves on
        flush()
        if (item.lead_id, item.owner_id) != before:
            events.announce(
                item,
                actor,
                "assignment",
                lead=item.lead.acronym,
                owner=item.owner.name if item.owner else None,
            )
    return changed
