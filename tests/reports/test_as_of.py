"""The summary now and as the data stood at the end of a day, rebuilt from history."""

from datetime import date

import pytest

from app.core.errors import ValidationError
from app.items.queries import ItemFilters
from app.reports.arguments import parse_as_of
from app.reports.summary import build_summary


def leads(summary):
    return {
        e["organisation"]["acronym"]: (e["count"], e["share_done"], e["overdue"])
        for e in summary["by_lead"]
    }


def test_items_created_later_do_not_appear(story):
    assert build_summary(ItemFilters(), date(2026, 8, 31))["total"] == 0
    assert build_summary(ItemFilters(), date(2026, 9, 1))["total"] == 1
    assert build_summary(ItemFilters(), date(2026, 10, 9))["total"] == 2
    assert build_summary(ItemFilters(), date(2026, 10, 10))["total"] == 3


def test_status_and_progress_as_they_stood(story):
    s = build_summary(ItemFilters(), date(2026, 9, 4))
    assert s["by_status"]["not_started"] == 1
    assert s["total"] == 1
    s = build_summary(ItemFilters(), date(2026, 9, 20))  # the 23:00 update counts that day
    assert s["by_status"] == {**dict.fromkeys(s["by_status"], 0), "in_progress": 1, "blocked": 1}
    s = build_summary(ItemFilters(), date(2026, 10, 1))
    assert s["by_status"]["implemented"] == 1
    assert s["by_status"]["blocked"] == 1


def test_lead_as_it_stood(story):
    assert leads(build_summary(ItemFilters(), date(2026, 10, 4))) == {"AAA": (2, 0.5, 0)}
    assert leads(build_summary(ItemFilters(), date(2026, 10, 5))) == {
        "AAA": (1, 1.0, 0),
        "BBB": (1, 0.0, 0),
    }
    # The lead filter applies to the lead of the day.
    assert build_summary(ItemFilters(lead="BBB"), date(2026, 10, 4))["total"] == 0
    assert build_summary(ItemFilters(lead="BBB"), date(2026, 10, 12))["total"] == 2


def test_due_date_and_overdue_as_they_stood(monkeypatch, story):
    # Item one was due on 2026-10-15 until 2026-10-20, implemented (open) since 1 October.
    assert build_summary(ItemFilters(), date(2026, 10, 15))["overdue"] == 0
    assert build_summary(ItemFilters(), date(2026, 10, 16))["overdue"] == 1
    assert build_summary(ItemFilters(overdue=True), date(2026, 10, 19))["total"] == 1
    assert build_summary(ItemFilters(), date(2026, 10, 20))["overdue"] == 0
    assert build_summary(ItemFilters(overdue=True), date(2026, 10, 21))["total"] == 0


def test_live_summary_matches_today(story):
    live = build_summary(ItemFilters())
    assert live == build_summary(ItemFilters(), date.fromisoformat(live["as_of"]))
    assert live["by_status"]["implemented"] == 1
    assert live["by_status"]["blocked"] == 1
    assert live["by_status"]["not_started"] == 1
    assert set(live["by_status"]) == {
        "not_started",
        "in_progress",
        "blocked",
        "implemented",
        "verified",
        "not_accepted",
        "no_longer_relevant",
    }


def test_stale_as_it_stood(story):
    # Item two, blocked on 2026-09-20 at 23:00 and not updated since, is stale 60 days on.
    assert build_summary(ItemFilters(stale=True), date(2026, 11, 18))["total"] == 0
    s = build_summary(ItemFilters(), date(2026, 11, 19))
    assert s["stale"] == 1
    assert build_summary(ItemFilters(stale=True), date(2026, 11, 19))["total"] == 1


def test_theme_and_kind_filters(monkeypatch, story):
    assert build_summary(ItemFilters(kind="challenge"), date(2026, 11, 1))["total"] == 0
    assert build_summary(ItemFilters(kind="recommendation"), date(2026, 11, 1))["total"] == 3


@pytest.mark.parametrize(
    "value", ["2026-13-01", "yesterday", "2026-1-1", "0001-01-01", "2999-01-01"]
)
def test_bad_dates_are_refused(value):
    with pytest.raises(ValidationError):
        parse_as_of(value)


def test_empty_date_is_none():
    assert parse_as_of("") is None
    assert parse_as_of(None) is None
    assert parse_as_of("2026-02-28") == date(2026, 2, 28)
