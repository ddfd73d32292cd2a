"""Fixtures of the reports tests: a hand-built history."""

import pytest

from tests.factories import make_org
from tests.reports.history import assign_at, at, item_created, make_world, status_at


@pytest.fixture
def story(monkeypatch):
    """Two organisations; three items with a known history over autumn 2026."""
    a, b = make_org("AAA"), make_org("BBB")
    one = item_created(monkeypatch, at("2026-09-01"), lead=a, due_date="2026-10-15")
    two = item_created(monkeypatch, at("2026-09-10"), lead=a)
    status_at(monkeypatch, at("2026-09-05"), one, "in_progress", progress=30)
    status_at(monkeypatch, at("2026-10-01"), one, "implemented")
    status_at(monkeypatch, at("2026-09-20", 23), two, "blocked", note="waiting for funds")
    assign_at(monkeypatch, at("2026-10-05"), two, lead=b)
    assign_at(monkeypatch, at("2026-10-20"), one, due_date="2026-12-31")
    three = item_created(monkeypatch, at("2026-10-10"), lead=b)
    return {"a": a, "b": b, "one": one, "two": two, "three": three}


@pytest.fixture
def world():
    """Two organisations and two themes for random histories (``history.play``)."""
    return make_world()
