"""Who may manage users and tokens."""

from app.core.roles import ADMIN


def may_manage_users(user) -> bool:
    """Only admins create users, change roles, deactivate and reset passwords."""
    return user is not None and user.is_active and user.role == ADMIN


def may_manage_tokens(user, owner) -> bool:
    """A user manages their own tokens; an admin anyone's."""
    return user is not None and user.is_active and (user.role == ADMIN or user.id == owner.id)
