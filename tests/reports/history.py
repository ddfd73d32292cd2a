"""Hand-built histories: items created, updated and reassigned at chosen moments."""

from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.items import services as item_services
from app.items import workflow
from tests.factories import SYSTEM, make_item, make_org


def at(day: str, hour: int = 12) -> datetime:
    """A moment on ``day`` (YYYY-MM-DD), UTC."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


@contextmanager
def frozen(monkeypatch, moment: datetime):
    """Make the services and the audit hook believe it is ``moment``."""
    import app.audit.tracking as tracking
    from app.items.services import items, updates

    with monkeypatch.context() as m:
        for module in (items, updates, tracking):
            m.setattr(module, "utcnow", lambda: moment)
        yield


def item_created(monkeypatch, moment: datetime, **fields):
    """An item created at ``moment``."""
    with frozen(monkeypatch, moment):
        item = make_item(**fields)
        item.created_at = moment
        item.last_update_at = moment
        db.session.flush()
    return item


def status_at(monkeypatch, moment: datetime, item, status: str, progress=None, note="update"):
    with frozen(monkeypatch, moment):
        item_services.change_status(
            SYSTEM, item, item.version, status=status, progress=progress, note=note
        )
        db.session.flush()
    return item


def assign_at(monkeypatch, moment: datetime, item, **data):
    with frozen(monkeypatch, moment):
        item_services.edit_item(SYSTEM, item, item.version, **data)
        db.session.flush()
    return item


# Random histories for the property tests: steps of (day, hour, action, pick) played in time
# order from START, a Monday.
START = date(2026, 3, 2)
REPORT_DAY = START + timedelta(days=70)
STEP = st.tuples(
    st.integers(0, 75),  # the day, from START (some after the report's day)
    st.integers(0, 23),  # the hour
    st.sampled_from(["create", "status", "status", "status", "reassign"]),
    st.integers(0, 10_000),  # which item, which target, which lead
)


def random_histories(examples: int, steps: int):
    """Run a test (taking ``monkeypatch``, ``world`` and ``steps``) on ``examples`` random
    histories of up to ``steps`` steps each (the world's fixture outlives the examples:
    they accumulate, which both sides of a comparison see alike)."""

    def decorate(test):
        return settings(
            max_examples=examples,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )(given(steps=st.lists(STEP, min_size=1, max_size=steps))(test))

    return decorate


def make_world():
    """Two organisations and two themes for random histories (``play``)."""
    orgs = [make_org("TRA"), make_org("TRB")]
    themes = [
        item_services.create_theme(SYSTEM, code="TR-1", title="Ceasefire"),
        item_services.create_theme(SYSTEM, code="TR-2", title="Elections"),
    ]
    return orgs, themes


def play(monkeypatch, world, steps) -> None:
    """Items created, moved through the workflow (as an admin may) and reassigned at the
    moments ``steps`` (drawn from ``STEP``) give, in time order."""
    orgs, themes = world
    items = []
    for offset, hour, action, pick in sorted(steps, key=lambda s: (s[0], s[1])):
        moment = at((START + timedelta(days=offset)).isoformat(), hour)
        if action == "create" or not items:
            items.append(
                item_created(
                    monkeypatch,
                    moment,
                    lead=orgs[pick % 2],
                    kind=("recommendation", "challenge")[pick // 2 % 2],
                    themes=[themes[pick // 4 % 2]],
                )
            )
            continue
        item = items[pick % len(items)]
        if action == "reassign":
            assign_at(monkeypatch, moment, item, lead=orgs[(pick // 7) % 2])
            continue
        targets = workflow.allowed_transitions(item.status, "admin", True)
        target = targets[(pick // 7) % len(targets)].target
        status_at(monkeypatch, moment, item, target, progress=None, note="A note.")
