"""What the item services share: flushing with conflict detection, version checks, the
manager check and change-only assignment."""

from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from app.core.actor import Actor
from app.core.errors import N_, ConflictError, NotFound
from app.core.records import is_id
from app.core.validation import parse_version
from app.extensions import db
from app.items import policies
from app.items.models import Item


def get_item(item_id: Any, *options: Any, populate_existing: bool = False) -> Item:
    """The item with this id, or ``NotFound`` (also for an id that is not a number); loader
    ``options`` say what to load with it, ``populate_existing`` reads it again."""
    try:
        item_id = int(item_id)
    except (TypeError, ValueError):
        raise NotFound(N_("No item with id %(id)s."), id=str(item_id)[:20]) from None
    item = (
        db.session.get(Item, item_id, options=options, populate_existing=populate_existing)
        if is_id(item_id)
        else None
    )
    if item is None:
        raise NotFound(N_("No item with id %(id)s."), id=item_id)
    return item


def flush() -> None:
    """Flush, turning a concurrent write to the same item into a conflict."""
    try:
        db.session.flush()
    except StaleDataError:
        raise ConflictError(N_("Someone else changed this item at the same time.")) from None


def check_version(item: Item, version: Any) -> None:
    """Raise ``ConflictError`` unless ``version`` is the item's current version."""
    seen = parse_version(version)
    if seen != item.version:
        raise ConflictError(
            N_("This item was changed by someone else since you opened it."),
            current_version=item.version,
        )


def require_manager(actor: Actor) -> None:
    policies.may_manage_items(actor).check()


def set_if_changed(obj: Any, attr: str, value: Any) -> bool:
    """Assign only a different value, so an unchanged record writes nothing."""
    if getattr(obj, attr) != value:
        setattr(obj, attr, value)
        return True
    return False
