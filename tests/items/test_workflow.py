"""The workflow rules, checked for every (from, to, role) combination against SPEC's table."""

from datetime import UTC, date, datetime, timedelta

import pytest

from app.core.errors import PermissionDenied, ValidationError, WorkflowError
from app.core.roles import ADMIN, MANAGER, ROLES, STAFF, VIEWER
from app.items import workflow as wf

# SPEC, written out independently of the module: (from, to) -> (privileged ★, note †).
SPEC = {
    ("not_started", "in_progress"): (False, False),
    ("not_started", "blocked"): (False, True),
    ("not_started", "not_accepted"): (True, True),
    ("not_started", "no_longer_relevant"): (True, True),
    ("in_progress", "implemented"): (False, True),  # SPEC: implemented†
    ("in_progress", "blocked"): (False, True),
    ("in_progress", "no_longer_relevant"): (True, True),
    ("blocked", "in_progress"): (False, False),
    ("blocked", "no_longer_relevant"): (True, True),
    ("implemented", "verified"): (True, False),
    ("implemented", "in_progress"): (True, True),
    ("verified", "in_progress"): (True, True),
    ("not_accepted", "not_started"): (True, True),
    ("no_longer_relevant", "not_started"): (True, True),
    ("in_progress", "in_progress"): (False, False),
    ("blocked", "blocked"): (False, False),
}
# Who may post updates at all on an item: viewers never; staff only when involved.
POSTERS = [(VIEWER, False), (STAFF, False), (STAFF, True), (MANAGER, True), (ADMIN, True)]
ALL = [(s, t, role, may) for s in wf.STATUSES for t in wf.STATUSES for role, may in POSTERS]


def test_transition_table_is_exactly_the_spec():
    assert {k: (t.privileged, t.note_required) for k, t in wf.TRANSITIONS.items()} == SPEC


@pytest.mark.parametrize(("source", "target", "role", "may_update"), ALL)
def test_every_transition_for_every_role(source, target, role, may_update):
    rule = SPEC.get((source, target))
    allowed = rule is not None and may_update and (not rule[0] or role in (MANAGER, ADMIN))
    listed = {t.target for t in wf.allowed_transitions(source, role, may_update)}
    assert (target in listed) == allowed
    if allowed:
        note_needed = rule[1]
        if note_needed:
            with pytest.raises(WorkflowError):
                wf.check_transition(source, target, role, may_update, note="  ")
        assert wf.check_transition(source, target, role, may_update, note="why").target == target
    else:
        with pytest.raises((WorkflowError, PermissionDenied)):
            wf.check_transition(source, target, role, may_update, note="why")


def test_staff_cannot_verify():
    with pytest.raises(PermissionDenied):
        wf.check_transition("implemented", "verified", STAFF, True, note="done")


def test_unknown_status_is_a_validation_error():
    with pytest.raises(ValidationError):
        wf.check_transition("in_progress", "finished", ADMIN, True, note="x")


def test_roles_are_the_four_of_the_spec():
    assert ROLES == ("viewer", "staff", "manager", "admin")


@pytest.mark.parametrize("status", wf.STATUSES)
def test_progress_follows_status(status):
    result = wf.progress_after(status, 40, current=10)
    assert result == {"not_started": 0, "implemented": 100, "verified": 100}.get(status, 40)
    kept = wf.progress_after(status, None, current=10)
    assert kept == {"not_started": 0, "implemented": 100, "verified": 100}.get(status, 10)


@pytest.mark.parametrize("bad", [-1, 101, 1000, "50", 2.5, True])
def test_progress_outside_range_or_not_whole_is_refused(bad):
    with pytest.raises(ValidationError):
        wf.progress_after("in_progress", bad, current=0)


@pytest.mark.parametrize("status", wf.STATUSES)
def test_overdue_only_when_open_and_past_due(status):
    today = date(2026, 11, 23)
    closed = status in ("verified", "not_accepted", "no_longer_relevant")
    assert wf.is_overdue(date(2026, 11, 22), status, today) is (not closed)
    assert wf.is_overdue(today, status, today) is False
    assert wf.is_overdue(None, status, today) is False


@pytest.mark.parametrize("status", wf.STATUSES)
def test_stale_after_sixty_days_without_update(status):
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    closed = status in ("verified", "not_accepted", "no_longer_relevant")
    assert wf.is_stale(now - timedelta(days=61), status, now) is (not closed)
    assert wf.is_stale(now - timedelta(days=59), status, now) is False
    assert wf.is_stale(now - timedelta(days=11), status, now, stale_days=10) is (not closed)
