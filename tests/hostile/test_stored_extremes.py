"""Fault 1: every value the database can hold displays, on every page and export that shows
it — numbers beyond what Babel formats (1e28, 1e308, their negatives) put there behind the
forms' back (an older version, an import, a hand edit)."""

import json

import pytest
from sqlalchemy import text

from app.extensions import db
from app.items import services as item_services
from tests.api.conftest import token_for
from tests.factories import SYSTEM, make_item, make_user
from tests.web.walk import log_in

EXTREMES = (1e28, 1e308, -1e308, 1.7976931348623157e308, 5e-324, -5e-324, float("inf"))


@pytest.fixture
def stored(app):
    """An item whose indicator holds extreme numbers, written with plain SQL."""
    user = make_user("admin")
    item = make_item(title="Extreme numbers")
    indicator = item_services.create_indicator(SYSTEM, item, name="Patrols", unit="patrols")
    db.session.flush()
    db.session.execute(
        text("UPDATE indicators SET baseline_value = :b, target_value = :t WHERE id = :i"),
        {"b": 1e308, "t": -1e308, "i": indicator.id},
    )
    for day, value in enumerate(EXTREMES, start=1):
        db.session.execute(
            text(
                "INSERT INTO measurements (indicator_id, value, measured_on, note, created_at)"
                " VALUES (:i, :v, :d, '', CURRENT_TIMESTAMP)"
            ),
            {"i": indicator.id, "v": value, "d": f"2025-01-{day:02d}"},
        )
    db.session.commit()
    return {"user": user, "item": item, "token": token_for(user)}


PAGES = (
    "/items/{id}",
    "/items",
    "/reports",
    "/reports/status.csv",
    "/reports/status.xlsx",
    "/reports/status.pdf",
    "/my-work",
)
API = (
    "/api/v1/items/{id}",
    "/api/v1/items/{id}/indicators",
    "/api/v1/items/{id}/history",
    "/api/v1/summary",
    "/api/v1/items",
)


@pytest.mark.parametrize("path", PAGES)
def test_extreme_stored_numbers_display_on_every_page(client, stored, path):
    log_in(client, stored["user"])
    response = client.get(path.format(id=stored["item"].id))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]


@pytest.mark.parametrize("path", API)
def test_extreme_stored_numbers_display_in_the_api(client, stored, path):
    headers = {"Authorization": f"Bearer {stored['token']}"}
    response = client.get(path.format(id=stored["item"].id), headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    json.loads(response.get_data(as_text=True), parse_constant=_refuse)  # strict JSON


def _refuse(name: str):
    raise AssertionError(f"{name} is not JSON")
