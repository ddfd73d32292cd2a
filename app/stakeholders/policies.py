"""Who may manage organisations."""

from app.core.actor import Actor
from app.core.roles import ADMIN


def may_manage_organisations(user: Actor | None) -> bool:
    """Only admins create and edit organisations."""
    return user is not None and user.is_active and user.role == ADMIN
