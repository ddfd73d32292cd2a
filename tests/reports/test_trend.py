"""The weekly trend counted from status changes agrees with the trend rebuilt from history,
for any history: items created, moved through the workflow and reassigned on random days,
read through every filter the fast count answers (the others always rebuild)."""

from app.items.queries import ItemFilters
from app.reports import trend
from app.reports.state import Moment
from tests.reports.history import REPORT_DAY, play, random_histories

WEEKS = 12
FILTERS = [
    ItemFilters(),
    ItemFilters(kind="challenge"),
    ItemFilters(theme="TR-1"),
    ItemFilters(status="in_progress"),
    ItemFilters(q="item"),
]


@random_histories(examples=25, steps=25)
def test_counted_trend_equals_the_rebuilt_trend(monkeypatch, world, steps):
    play(monkeypatch, world, steps)
    moment = Moment.at(REPORT_DAY)
    days = trend.week_ends(moment, WEEKS)
    for filters in FILTERS:
        assert trend._counted_from_changes(filters)
        counted = trend._counts_from_changes(filters, days)
        rebuilt = trend._counts_by_replay(filters, moment, 60, days)
        assert counted == rebuilt, filters


def test_filters_that_change_with_the_week_are_rebuilt():
    for filters in (
        ItemFilters(lead="TRA"),
        ItemFilters(overdue=True),
        ItemFilters(stale=False),
        ItemFilters(response="accepted"),
    ):
        assert not trend._counted_from_changes(filters)
