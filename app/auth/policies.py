"""Who may manage users and tokens."""

from app.auth.models import User
from app.core.actor import Actor
from app.core.roles import ADMIN


def may_manage_users(user: Actor | None) -> bool:
    """Only admins create users, change roles, deactivate and reset passwords."""
    return user is not None and user.is_active and user.role == ADMIN


def may_manage_tokens(user: Actor | None, owner: User) -> bool:
    """A user manages their own tokens; an admin anyone's."""
    return user is not None and user.is_active and (user.role == ADMIN or user.id == owner.id)
