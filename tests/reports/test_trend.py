"""The weekly trend counted from status changes agrees with the trend rebuilt from history,
for any history: items created, moved through the workflow and reassigned on random days,
read through every filter the fast count answers (the others always rebuild)."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.items import services as item_services
from app.items import workflow
from app.items.queries import ItemFilters
from app.reports import queries
from app.reports.state import Moment
from tests.factories import SYSTEM, make_org
from tests.reports.history import assign_at, at, item_created, status_at

START = date(2026, 3, 2)  # a Monday
REPORT_DAY = START + timedelta(days=70)
WEEKS = 12
STEP = st.tuples(
    st.integers(0, 75),  # the day, from START (some after the report's day)
    st.integers(0, 23),  # the hour
    st.sampled_from(["create", "status", "status", "status", "reassign"]),
    st.integers(0, 10_000),  # which item, which target, which lead
)


@pytest.fixture
def world():
    orgs = [make_org("TRA"), make_org("TRB")]
    themes = [
        item_services.create_theme(SYSTEM, code="TR-1", title="Ceasefire"),
        item_services.create_theme(SYSTEM, code="TR-2", title="Elections"),
    ]
    return orgs, themes


def _play(monkeypatch, world, steps) -> None:
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


FILTERS = [
    ItemFilters(),
    ItemFilters(kind="challenge"),
    ItemFilters(theme="TR-1"),
    ItemFilters(status="in_progress"),
    ItemFilters(q="item"),
]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=25))
def test_counted_trend_equals_the_rebuilt_trend(monkeypatch, world, steps):
    _play(monkeypatch, world, steps)
    moment = Moment.at(REPORT_DAY)
    days = queries.week_ends(moment, WEEKS)
    for filters in FILTERS:
        assert queries._counted_from_changes(filters)
        counted = queries._counts_from_changes(filters, days)
        rebuilt = queries._counts_by_replay(filters, moment, 60, days)
        assert counted == rebuilt, filters


def test_filters_that_change_with_the_week_are_rebuilt():
    for filters in (
        ItemFilters(lead="TRA"),
        ItemFilters(overdue=True),
        ItemFilters(stale=False),
        ItemFilters(response="accepted"),
    ):
        assert not queries._counted_from_changes(filters)
