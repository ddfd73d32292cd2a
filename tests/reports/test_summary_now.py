"""The summary now reads the items' own columns (and counts every item's themes without
joining them); it must say what the state rebuilt from history says for the same day."""

from app.core.time import today
from app.items.queries import ItemFilters
from app.reports.summary import summarise
from tests.reports.history import play, random_histories

FILTERS = [
    ItemFilters(),
    ItemFilters(lead="TRA"),
    ItemFilters(theme="TR-2"),
    ItemFilters(status="blocked"),
    ItemFilters(kind="challenge", overdue=False),
    ItemFilters(stale=True),
    ItemFilters(response="none", q="item"),
]


@random_histories(examples=15, steps=20)
def test_the_summary_now_equals_the_state_rebuilt_for_today(monkeypatch, world, steps):
    play(monkeypatch, world, steps)
    for filters in FILTERS:
        now = summarise(filters)
        rebuilt = summarise(filters, as_of=today())
        assert now == rebuilt, filters
