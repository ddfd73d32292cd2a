"""Who may watch items and choose how they are told."""

from app.items import policies as item_policies


def may_watch(user, item=None) -> bool:
    """Whoever reads items may watch them."""
    return item_policies.may_read(user)


def may_set_delivery(actor, user) -> bool:
    """A user chooses their own delivery."""
    return getattr(actor, "is_active", False) and actor.id is not None and actor.id == user.id
