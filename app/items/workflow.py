"""The item workflow as plain Python: statuses, transitions, notes, progress, overdue, stale.

No Flask and no database here: the services and the pages ask these functions, so a rule
lives in one place and is tested exhaustively.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.core.errors import N_, PermissionDenied, ValidationError, WorkflowError
from app.core.roles import PRIVILEGED_ROLES

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
BLOCKED = "blocked"
IMPLEMENTED = "implemented"
VERIFIED = "verified"
NOT_ACCEPTED = "not_accepted"
NO_LONGER_RELEVANT = "no_longer_relevant"

STATUSES = (
    NOT_STARTED,
    IN_PROGRESS,
    BLOCKED,
    IMPLEMENTED,
    VERIFIED,
    NOT_ACCEPTED,
    NO_LONGER_RELEVANT,
)
STATUS_LABELS = {
    NOT_STARTED: N_("Not started"),
    IN_PROGRESS: N_("In progress"),
    BLOCKED: N_("Blocked"),
    IMPLEMENTED: N_("Implemented"),
    VERIFIED: N_("Verified"),
    NOT_ACCEPTED: N_("Not accepted"),
    NO_LONGER_RELEVANT: N_("No longer relevant"),
}
# Closed statuses are never overdue nor stale.
CLOSED_STATUSES = frozenset({VERIFIED, NOT_ACCEPTED, NO_LONGER_RELEVANT})
DONE_STATUSES = frozenset({IMPLEMENTED, VERIFIED})

# Progress is fixed by these statuses; the others keep the progress reported.
FIXED_PROGRESS = {NOT_STARTED: 0, IMPLEMENTED: 100, VERIFIED: 100}
DEFAULT_STALE_DAYS = 60


@dataclass(frozen=True)
class Transition:
    """One allowed move between statuses."""

    source: str
    target: str
    privileged: bool = False  # manager or admin only (★)
    note_required: bool = False  # †


def _t(source: str, target: str, privileged: bool = False, note: bool = False) -> Transition:
    return Transition(source, target, privileged, note)


TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.source, t.target): t
    for t in (
        _t(NOT_STARTED, IN_PROGRESS),
        _t(NOT_STARTED, BLOCKED, note=True),
        _t(NOT_STARTED, NOT_ACCEPTED, privileged=True, note=True),
        _t(NOT_STARTED, NO_LONGER_RELEVANT, privileged=True, note=True),
        _t(IN_PROGRESS, IMPLEMENTED, note=True),
        _t(IN_PROGRESS, BLOCKED, note=True),
        _t(IN_PROGRESS, NO_LONGER_RELEVANT, privileged=True, note=True),
        _t(BLOCKED, IN_PROGRESS),
        _t(BLOCKED, NO_LONGER_RELEVANT, privileged=True, note=True),
        _t(IMPLEMENTED, VERIFIED, privileged=True),
        _t(IMPLEMENTED, IN_PROGRESS, privileged=True, note=True),  # verification refused
        _t(VERIFIED, IN_PROGRESS, privileged=True, note=True),  # reopened
        _t(NOT_ACCEPTED, NOT_STARTED, privileged=True, note=True),
        _t(NO_LONGER_RELEVANT, NOT_STARTED, privileged=True, note=True),
        # Same status: an update of progress and note alone.
        _t(IN_PROGRESS, IN_PROGRESS),
        _t(BLOCKED, BLOCKED),
    )
}


def is_valid_status(value: object) -> bool:
    """True when ``value`` is one of the machine status values."""
    return isinstance(value, str) and value in STATUSES


def is_privileged(role: str) -> bool:
    """Managers and admins may make ★ transitions."""
    return role in PRIVILEGED_ROLES


def allowed_transitions(
    source: str, role: str, may_update: bool, may_change: bool = True
) -> list[Transition]:
    """The transitions ``role`` may make from ``source``.

    ``may_update`` says whether the user may post updates on this item at all (for staff:
    their organisation is lead or supporting); ``may_change`` whether they may change its
    status (for staff: their organisation leads it). Without it, only the same-status
    updates of progress and note remain.
    """
    if not may_update:
        return []
    return [
        t
        for t in TRANSITIONS.values()
        if t.source == source
        and (not t.privileged or is_privileged(role))
        and (may_change or t.target == source)
    ]


def check_transition(
    source: str, target: str, role: str, may_update: bool, note: str | None
) -> Transition:
    """Return the transition, or raise ``WorkflowError`` saying why it is refused."""
    if not is_valid_status(target):
        raise ValidationError(
            N_("Unknown status: %(status)s."),
            fields={"status": N_("Unknown status.")},
            status=str(target)[:40],
        )
    transition = TRANSITIONS.get((source, target))
    if transition is None:
        raise WorkflowError(
            N_("An item cannot go from %(source)s to %(target)s."), source=source, target=target
        )
    if not may_update:
        raise PermissionDenied(N_("You may not post updates on this item."))
    if transition.privileged and not is_privileged(role):
        raise PermissionDenied(
            N_("Only a manager or an admin may move an item from %(source)s to %(target)s."),
            source=source,
            target=target,
        )
    if transition.note_required and not (note or "").strip():
        raise WorkflowError(
            N_("A note is required to move an item from %(source)s to %(target)s."),
            fields={"note": N_("A note is required for this change.")},
            source=source,
            target=target,
        )
    return transition


def check_progress(requested: object) -> int | None:
    """``requested`` when it is None or a whole number from 0 to 100; every door refuses
    anything else, whatever the status asked for."""
    if requested is None:
        return None
    if isinstance(requested, bool) or not isinstance(requested, int):
        raise ValidationError(
            N_("Progress must be a whole number."),
            fields={"progress": N_("Progress must be a whole number between 0 and 100.")},
        )
    if not 0 <= requested <= 100:
        raise ValidationError(
            N_("Progress must be between 0 and 100."),
            fields={"progress": N_("Progress must be a whole number between 0 and 100.")},
        )
    return requested


def progress_after(target: str, requested: int | None, current: int) -> int:
    """The progress an item has after moving to ``target``.

    ``not_started`` means 0, ``implemented`` and ``verified`` mean 100 whatever was asked;
    otherwise the requested progress, or the current one when none is given. A requested
    progress outside 0–100 is refused in every case.
    """
    requested = check_progress(requested)
    if target in FIXED_PROGRESS:
        return FIXED_PROGRESS[target]
    if requested is None:
        return current
    return requested


def is_overdue(due_date: date | None, status: str, today: date) -> bool:
    """Due date passed and the item not closed (verified, not accepted, no longer relevant)."""
    return due_date is not None and due_date < today and status not in CLOSED_STATUSES


def stale_cutoff(now: datetime, stale_days: int = DEFAULT_STALE_DAYS) -> datetime:
    """Items whose last status update is older than this are stale."""
    return now - timedelta(days=stale_days)


def is_stale(
    last_update_at: datetime | None,
    status: str,
    now: datetime,
    stale_days: int = DEFAULT_STALE_DAYS,
) -> bool:
    """No status update for ``stale_days`` days (counted from creation when none yet) on an
    item that is not closed."""
    if status in CLOSED_STATUSES or last_update_at is None:
        return False
    return last_update_at < stale_cutoff(now, stale_days)
