"""Fault 1: every date parameter on every door shares the bounds (YYYY-MM-DD, 1900-01-01 to
9999-12-31): what is beyond them is a 400/422 with a message, and what is within them —
the calendar's last day included — never overflows a computation."""

import pytest

from tests.factories import make_item, make_org, make_user
from tests.helpers import form_post
from tests.hostile.values import DATES
from tests.web.walk import log_in

BAD = [d for d in DATES if d not in ("1900-01-01", "9999-12-31", "", "2024-02-29")]
REPORT_PATHS = (
    "/reports",
    "/reports/status.csv",
    "/reports/status.xlsx",
    "/reports/status.pdf",
    "/api/v1/summary",
)


@pytest.fixture
def viewer(client):
    user = make_user("viewer")
    log_in(client, user)
    return user


@pytest.mark.parametrize("path", REPORT_PATHS)
@pytest.mark.parametrize("name", ["as_of", "since"])
def test_a_report_date_beyond_the_bounds_is_a_400_on_every_door(client, viewer, path, name):
    if path.startswith("/api/") and name == "since":
        pytest.skip("the summary takes no since")
    from tests.api.conftest import token_for

    headers = {"Authorization": f"Bearer {token_for(viewer)}"} if path.startswith("/api/") else {}
    statuses = {
        day: client.get(path, query_string={name: day}, headers=headers).status_code
        for day in BAD[:8]
    }
    assert set(statuses.values()) == {400}, statuses
    first = client.get(path, query_string={name: "1900-01-01"}, headers=headers)
    assert first.status_code == 200


def test_a_round_due_on_the_calendars_last_day_opens(client):
    manager = make_user("manager")
    make_item(lead=make_org("LASTD"))
    log_in(client, manager)
    data = {"title": "Last day", "opens_on": "2026-01-01", "due_on": "9999-12-31", "lead": "LASTD"}
    response = form_post(client, "/rounds", data, "/rounds")
    assert response.status_code == 302
    assert client.get(response.headers["Location"]).status_code == 200


@pytest.mark.parametrize(("day", "code"), [("9999-12-31", 0), ("1900-01-01", 0), ("0001-01-01", 2)])
def test_remind_takes_every_day_within_the_bounds(cli, day, code):
    result = cli.invoke(args=["remind", "--today", day, "--dry-run"])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
