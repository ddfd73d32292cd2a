"""Who may do what to items: plain functions the services enforce and the pages ask."""

from typing import TypeGuard

from app.core.actor import Actor
from app.core.roles import ADMIN, MANAGER, PRIVILEGED_ROLES, STAFF, VIEWER
from app.items.models import Comment, Item


def _active(user: Actor | None) -> TypeGuard[Actor]:
    return user is not None and getattr(user, "is_active", False)


def may_read(user: Actor | None) -> bool:
    """Every logged-in role reads items, summaries and history, and exports."""
    return _active(user) and user.role in (VIEWER, STAFF, MANAGER, ADMIN)


def is_involved(user: Actor | None, item: Item) -> bool:
    """The user's organisation leads or supports ``item``."""
    org_id = getattr(user, "organisation_id", None)
    if org_id is None:
        return False
    return item.lead_id == org_id or any(o.id == org_id for o in item.supporting)


def may_post_update(user: Actor | None, item: Item) -> bool:
    """Managers and admins on any item; staff where their organisation leads or supports."""
    if not _active(user):
        return False
    if user.role in PRIVILEGED_ROLES:
        return True
    return user.role == STAFF and is_involved(user, item)


may_attach_evidence = may_post_update
may_record_measurement = may_post_update


def may_comment(user: Actor | None, item: Item | None = None) -> bool:
    """Staff, managers and admins comment; viewers read."""
    return _active(user) and user.role in (STAFF, MANAGER, ADMIN)


def may_edit_comment(user: Actor | None, comment: Comment) -> bool:
    """The author edits their own comment; an admin may edit any."""
    if not (_active(user) and may_comment(user)):
        return False
    return user.role == ADMIN or comment.author_id == user.id


def may_manage_items(user: Actor | None) -> bool:
    """Create and edit items, assign them, verify, make ★ transitions."""
    return _active(user) and user.role in PRIVILEGED_ROLES


def may_respond(user: Actor | None, item: Item) -> bool:
    """Record the formal response of a recommendation: the staff of its lead organisation,
    managers and admins. Only recommendations take a response."""
    if not _active(user) or item.kind != "recommendation":
        return False
    if user.role in PRIVILEGED_ROLES:
        return True
    return user.role == STAFF and item.lead_id == getattr(user, "organisation_id", None)
