"""Overdue and stale lists, activity, weekly trend, indicators and changes between two days."""

import re
from datetime import date

import pytest

from app.core.errors import ValidationError
from app.items import services as item_services
from app.items.queries import ItemFilters
from app.reports import queries
from app.reports.state import Moment
from app.reports.trend import weekly_trend
from tests.factories import SYSTEM
from tests.reports.history import at, frozen

ALL = ItemFilters()


def test_overdue_list_oldest_first_with_days_late(monkeypatch, story):
    rows = queries.overdue_items(ALL, Moment.at(date(2026, 10, 18)), 60)
    assert [(r["id"], r["days_late"], r["lead"]["acronym"]) for r in rows] == [
        (story["one"].id, 3, "AAA")
    ]
    assert queries.overdue_items(ALL, Moment.at(date(2026, 10, 21)), 60) == []


def test_stale_list_with_days_silent(story):
    rows = queries.stale_items(ALL, Moment.at(date(2026, 11, 19)), 60)
    assert [(r["id"], r["days_silent"], r["lead"]["acronym"]) for r in rows] == [
        (story["two"].id, 60, "BBB")
    ]


def test_recent_activity_stops_at_the_day(story):
    rows = queries.recent_activity(ALL, Moment.at(date(2026, 9, 30)), 60)
    assert [(r["item_id"], r["to_status"]) for r in rows] == [
        (story["two"].id, "blocked"),
        (story["one"].id, "in_progress"),
    ]
    assert rows[0]["note"] == "waiting for funds"


def test_weekly_trend_rebuilt_from_history(story):
    trend = weekly_trend(ALL, Moment.at(date(2026, 10, 7)), 60, weeks=6)
    assert trend.days == [
        date(2026, 9, 6),
        date(2026, 9, 13),
        date(2026, 9, 20),
        date(2026, 9, 27),
        date(2026, 10, 4),
        date(2026, 10, 7),
    ]
    rows = dict(trend.rows())
    assert rows[date(2026, 9, 6)]["in_progress"] == 1
    assert sum(rows[date(2026, 9, 6)].values()) == 1
    assert rows[date(2026, 9, 13)]["not_started"] == 1
    assert rows[date(2026, 9, 20)]["blocked"] == 1
    assert rows[date(2026, 10, 4)]["implemented"] == 1
    # The lead filter follows the lead of each week: item two moved to BBB on 5 October.
    # BBB leads nothing before then: its trend starts with its first item.
    bbb = weekly_trend(ItemFilters(lead="BBB"), Moment.at(date(2026, 10, 7)), 60, weeks=3)
    assert [(d, sum(c.values())) for d, c in bbb.rows()] == [(date(2026, 10, 7), 1)]
    assert not bbb.is_line


def test_the_trend_starts_when_the_data_starts(story):
    """The first item was created on 1 September: no week before reads as "zero items"."""
    trend = weekly_trend(ALL, Moment.at(date(2026, 11, 30)), 60)
    assert trend.days[0] == date(2026, 9, 6)
    assert trend.is_line
    assert len(trend.days) == 14
    assert all(len(c) == 14 for c in trend.counts.values())
    assert sum(c[0] for c in trend.counts.values()) == 1
    empty = weekly_trend(ItemFilters(lead="NONE"), Moment.at(date(2026, 11, 30)), 60)
    assert empty.days == []
    assert not empty.is_line


def test_the_trend_axis_goes_up_in_round_steps():
    from app.reports.charts import trend_lines

    days = [date(2026, 11, d) for d in (1, 8, 15)]
    svg = str(
        trend_lines(
            days,
            {"not_started": [23, 23, 19], "in_progress": [0, 0, 4]},
            str,
            date.isoformat,
            "Trend",
        )
    )
    labels = re.findall(
        r'text-anchor="end" font-size="11" fill="#545d68" font-weight="normal">([^<]+)<', svg
    )
    assert labels == ["0", "10", "20", "30"]


def test_changes_between_two_days(story):
    rows = queries.changes_between(ALL, date(2026, 9, 30), Moment.at(date(2026, 10, 31)), 60)
    by_id = {r["id"]: r for r in rows}
    one, two, three = story["one"].id, story["two"].id, story["three"].id
    assert set(by_id) == {one, two, three}
    assert by_id[one]["changes"] == {
        "status": {"from": "in_progress", "to": "implemented"},
        "progress": {"from": 30, "to": 100},
        "due_date": {"from": date(2026, 10, 15), "to": date(2026, 12, 31)},
    }
    assert by_id[two]["changes"] == {"lead": {"from": "AAA", "to": "BBB"}}
    assert by_id[three]["new"] is True
    quiet = queries.changes_between(ALL, date(2026, 10, 21), Moment.at(date(2026, 11, 1)), 60)
    assert quiet == []


def test_changes_since_must_come_before(story):
    with pytest.raises(ValidationError):
        queries.changes_between(ALL, date(2026, 10, 2), Moment.at(date(2026, 10, 2)), 60)


def test_indicators_against_target_as_of(monkeypatch, story):
    with frozen(monkeypatch, at("2026-09-02")):
        indicator = item_services.create_indicator(
            SYSTEM,
            story["one"],
            name="Police deployed",
            unit="officers",
            baseline_value=1052,
            baseline_date="2015-02-28",
            target_value=1440,
        )
        item_services.record_measurement(SYSTEM, indicator, value=1200, measured_on="2026-09-01")
        item_services.record_measurement(SYSTEM, indicator, value=1440, measured_on="2026-10-01")
    [early] = queries.indicators(ALL, Moment.at(date(2026, 9, 15)), 60)
    assert early["value"] == 1200
    assert early["share"] == pytest.approx(148 / 388)
    [late] = queries.indicators(ALL, Moment.at(date(2026, 10, 15)), 60)
    assert late["value"] == 1440
    assert late["share"] == 1.0
