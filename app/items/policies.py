"""Who may do what to items: plain functions the services enforce and the pages ask."""

from typing import TypeGuard

from app.core.actor import Actor
from app.core.decision import ALLOWED, Decision, refuse
from app.core.errors import N_
from app.core.roles import ADMIN, MANAGER, PRIVILEGED_ROLES, STAFF, VIEWER
from app.items.models import Comment, Evidence, Item


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


def _acronym(user: Actor) -> str:
    organisation = getattr(user, "organisation", None)
    return getattr(organisation, "acronym", "") or "?"


def may_post_update(user: Actor | None, item: Item) -> Decision:
    """Managers and admins on any item; staff where their organisation leads or supports."""
    if not _active(user):
        return refuse(N_("Log in with an active account first."))
    if user.role in PRIVILEGED_ROLES:
        return ALLOWED
    if user.role != STAFF:
        return refuse(N_("Viewers read and export; they do not post updates or evidence."))
    if user.organisation_id is None:
        return refuse(N_("Your account belongs to no organisation."))
    if not is_involved(user, item):
        return refuse(
            N_("%(org)s is neither lead nor supporting organisation of this item."),
            org=_acronym(user),
        )
    return ALLOWED


def may_change_status(user: Actor | None, item: Item) -> Decision:
    """Only the lead organisation's staff, managers and admins change an item's status; a
    supporting organisation's staff post progress, notes and evidence on the same status."""
    decision = may_post_update(user, item)
    if not decision or user is None or user.role in PRIVILEGED_ROLES:
        return decision
    if item.lead_id != user.organisation_id:
        return refuse(
            N_(
                "%(org)s supports this item: its staff post progress, notes and evidence, "
                "but only %(lead)s (the lead organisation), a manager or an admin changes "
                "its status."
            ),
            org=_acronym(user),
            lead=item.lead.acronym,
        )
    return ALLOWED


def may_withdraw_evidence(user: Actor | None, evidence: Evidence) -> Decision:
    """The evidence's author (while they may still post on the item), a manager or an admin
    withdraws it; it stays in the history."""
    if not _active(user):
        return refuse(N_("Log in with an active account first."))
    if user.role in PRIVILEGED_ROLES:
        return ALLOWED
    if user.id is not None and evidence.uploaded_by_id == user.id:
        return may_post_update(user, evidence.item)
    return refuse(N_("Only who attached this evidence, a manager or an admin may withdraw it."))


may_attach_evidence = may_post_update
may_record_measurement = may_post_update


def may_comment(user: Actor | None, item: Item | None = None) -> Decision:
    """Staff, managers and admins comment; viewers read."""
    if not _active(user):
        return refuse(N_("Log in with an active account first."))
    if user.role not in (STAFF, MANAGER, ADMIN):
        return refuse(N_("Viewers read and export; they do not comment."))
    return ALLOWED


def may_edit_comment(user: Actor | None, comment: Comment) -> Decision:
    """The author edits their own comment; an admin may edit any."""
    decision = may_comment(user)
    if not decision or user is None:
        return decision
    if user.role == ADMIN or comment.author_id == user.id:
        return ALLOWED
    return refuse(N_("Only its author or an admin may edit a comment."))


def may_manage_items(user: Actor | None) -> Decision:
    """Create and edit items, assign them, verify, make ★ transitions."""
    if not _active(user):
        return refuse(N_("Log in with an active account first."))
    if user.role not in PRIVILEGED_ROLES:
        return refuse(N_("Only a manager or an admin may do this."))
    return ALLOWED


def may_respond(user: Actor | None, item: Item) -> Decision:
    """Record the formal response of a recommendation: the staff of its lead organisation,
    managers and admins. Only recommendations take a response."""
    if not _active(user):
        return refuse(N_("Log in with an active account first."))
    if item.kind != "recommendation":
        return refuse(N_("Only recommendations take a formal response."))
    if user.role in PRIVILEGED_ROLES:
        return ALLOWED
    if user.role == STAFF and item.lead_id == getattr(user, "organisation_id", None):
        return ALLOWED
    return refuse(
        N_("Only the lead organisation's staff, a manager or an admin record the formal response.")
    )
