"""Who may watch items and choose how they are told."""

from typing import Any

from app.core.actor import Actor
from app.items import policies as item_policies


def may_watch(user: Actor, item: Any = None) -> bool:
    """Whoever reads items may watch them."""
    return item_policies.may_read(user)


def may_set_delivery(actor: Actor, user: Actor) -> bool:
    """A user chooses their own delivery."""
    return bool(actor.is_active) and actor.id is not None and actor.id == user.id
