"""Bulk edits: the same fields set on many items in one transaction, all or nothing."""

from collections.abc import Sequence
from typing import Any

from app.core.actor import Actor
from app.core.errors import N_, ConflictError, ValidationError
from app.core.validation import parse_version
from app.items.models import Item
from app.items.services._common import require_manager
from app.items.services.items import edit_item

MAX_BULK = 200  # items per bulk edit: a page of the list at its largest
BULK_FIELDS = ("lead", "supporting", "owner", "due_date", "priority", "themes")
# One selected item and the version the manager saw of it.
Selection = Sequence[tuple[Item, Any]]


def item_ref(item: Item) -> str:
    return item.code or f"#{item.id}"


def check_count(selection: Selection) -> None:
    """Refuse an empty or oversized selection."""
    if not selection:
        raise ValidationError(N_("Select at least one item."), fields={"item": N_("Required.")})
    if len(selection) > MAX_BULK:
        raise ValidationError(
            N_("Select at most %(max)s items at a time."),
            fields={"item": N_("Too many.")},
            max=MAX_BULK,
        )


def check_selection(selection: Selection, changes: dict[str, Any]) -> None:
    """Refuse an empty or oversized selection, no change at all, or an unknown field."""
    check_count(selection)
    unknown = set(changes) - set(BULK_FIELDS)
    if unknown:
        raise ValidationError(
            N_("Unknown fields: %(names)s."),
            fields={f: N_("Unknown field.") for f in unknown},
            names=", ".join(sorted(unknown)),
        )
    if not changes:
        raise ValidationError(N_("Choose at least one field to change."))


def stale_items(selection: Selection) -> list[Item]:
    """The selected items changed since the version the manager saw."""
    return [item for item, version in selection if parse_version(version) != item.version]


def _lead_clashes(selection: Selection, changes: dict[str, Any]) -> list[Item]:
    """The items whose lead would also be one of their supporting organisations."""
    clashes = []
    for item, _version in selection:
        lead = changes.get("lead", item.lead)
        supporting = changes.get("supporting", item.supporting)
        if lead is not None and any(o.id == lead.id for o in supporting):
            clashes.append(item)
    return clashes


def changing_fields(item: Item, changes: dict[str, Any]) -> list[str]:
    """The fields of ``item`` that ``changes`` would change (already parsed values)."""

    def key(value: Any) -> Any:
        if isinstance(value, list):
            return sorted(o.id for o in value)
        return getattr(value, "id", value)

    return [f for f in BULK_FIELDS if f in changes and key(changes[f]) != key(getattr(item, f))]


def bulk_edit(actor: Actor, selection: Selection, **changes: Any) -> list[Item]:
    """Set the same ``changes`` (any of lead, supporting, owner, due_date, priority, themes)
    on every selected item (managers, admins), through ``edit_item``: audited item by item,
    flushed in the caller's one transaction. All or nothing: when any item changed since the
    version the manager saw, ``ConflictError`` names them and nothing is written. Returns the
    items that changed."""
    require_manager(actor)
    check_selection(selection, changes)
    stale = stale_items(selection)
    if stale:
        raise ConflictError(
            N_(
                "Someone else changed %(count)s of the selected items since you saw them "
                "(%(refs)s). Nothing was saved: check them, then confirm again."
            ),
            count=len(stale),
            refs=", ".join(item_ref(i) for i in stale[:20]),
        )
    clashes = _lead_clashes(selection, changes)
    if clashes:
        raise ValidationError(
            N_("The lead organisation cannot also be a supporting one (%(refs)s)."),
            fields={"supporting_ids": N_("Remove the lead from the supporting organisations.")},
            refs=", ".join(item_ref(i) for i in clashes[:20]),
        )
    changed = []
    for item, version in selection:
        if edit_item(actor, item, version, **changes):
            changed.append(item)
    return changed
