"""One rule per value, whatever the door: what the API refuses, the web forms, the reports and
the command line refuse too, with the same words (the web's translated, field labels named)."""

from datetime import timedelta

import pytest

from app.core.time import today
from app.extensions import db
from app.items import services as item_services
from app.items.models import Indicator, Item, Measurement, StatusUpdate
from tests.api.conftest import assert_error
from tests.factories import SYSTEM, make_item, make_org, make_user, set_status
from tests.helpers import form_post, login

NUMBER_RANGE = "must be a number from -1000000000000000 to 1000000000000000."
VERSION_RANGE = "must be a whole number from 1 to 2147483647."
DATE_RANGE = "must be a date from 1900-01-01 to 9999-12-31."


@pytest.fixture
def lead():
    return make_org()


@pytest.fixture
def manager(lead):
    return make_user("manager", lead)


@pytest.fixture
def web(client, manager):
    login(client, manager)
    return client


def _html(response) -> str:
    return response.get_data(as_text=True)


def _item_form(lead, **fields) -> dict:
    return {"kind": "action", "priority": "medium", "title": "Dated", "lead_id": str(lead.id)} | (
        fields
    )


@pytest.mark.parametrize("value", [1e28, -1e16, 1e308])
def test_a_measurement_out_of_range_is_refused_by_both_doors(web, manager_api, lead, value):
    item = make_item(lead=lead)
    indicator = item_services.create_indicator(SYSTEM, item, name="Deployed")
    path = f"/indicators/{indicator.id}/measurements"
    page = form_post(
        web,
        path,
        {"value": repr(value), "measured_on": "2025-01-01"},
        form_path=f"/items/{item.id}",
    )
    assert page.status_code == 422
    assert f"Value {NUMBER_RANGE}" in _html(page)
    answer = manager_api.post(path, json={"value": value, "measured_on": "2025-01-01"})
    assert assert_error(answer, 422)["error"]["fields"] == {"value": f"value {NUMBER_RANGE}"}
    assert db.session.query(Measurement).count() == 0
    # The largest number each accepts is the same too.
    assert (
        manager_api.post(path, json={"value": 1e15, "measured_on": "2025-01-01"}).status_code == 201
    )
    page = form_post(
        web, path, {"value": "-1e15", "measured_on": "2025-01-02"}, form_path=f"/items/{item.id}"
    )
    assert page.status_code == 302


def test_indicator_baseline_and_target_have_the_same_range(web, lead):
    item = make_item(lead=lead)
    path = f"/items/{item.id}/indicators/new"
    for field, label in (("baseline_value", "Baseline value"), ("target_value", "Target value")):
        page = form_post(web, path, {"name": "Police", field: "1e308"})
        assert page.status_code == 422
        assert f"{label} {NUMBER_RANGE}" in _html(page)
    assert db.session.query(Indicator).count() == 0


@pytest.mark.parametrize("status", ["in_progress", "implemented"])
def test_progress_outside_0_100_is_refused_whatever_the_status(web, manager_api, lead, status):
    item = make_item(lead=lead)
    set_status(item, "in_progress")
    data = {"status": status, "progress": 150, "note": "done", "version": item.version}
    page = form_post(web, f"/items/{item.id}/updates", data, form_path=f"/items/{item.id}")
    assert page.status_code == 422
    assert "Progress must be between 0 and 100." in _html(page)
    answer = manager_api.post(f"/items/{item.id}/updates", json=data)
    body = assert_error(answer, 422)
    assert body["error"]["fields"] == {"progress": "Progress must be between 0 and 100."}
    db.session.expire_all()
    assert db.session.get(Item, item.id).status == "in_progress"


def test_a_version_out_of_range_is_refused_by_both_doors(web, manager_api, lead):
    item = make_item(lead=lead)
    data = {"status": "in_progress", "note": "x", "version": 2**31}
    page = form_post(web, f"/items/{item.id}/updates", data, form_path=f"/items/{item.id}")
    assert page.status_code == 422
    assert f"Version {VERSION_RANGE}" in _html(page)
    answer = manager_api.post(f"/items/{item.id}/updates", json=data)
    assert assert_error(answer, 422)["error"]["fields"] == {"version": f"version {VERSION_RANGE}"}
    assert db.session.query(StatusUpdate).count() == 0


@pytest.mark.parametrize("day", ["1899-12-31", "0001-01-01", "2031-3-1", "20310301"])
def test_a_due_date_is_refused_alike_by_both_doors(web, manager_api, lead, day):
    page = form_post(web, "/items/new", _item_form(lead, due_date=day))
    api = manager_api.post(
        "/items", json={"kind": "action", "title": "Dated", "lead_id": lead.id, "due_date": day}
    )
    fields = assert_error(api, 422)["error"]["fields"]
    assert page.status_code == 422
    if day.startswith(("18", "00")):
        assert f"Due date {DATE_RANGE}" in _html(page)
        assert fields == {"due_date": f"due_date {DATE_RANGE}"}
    else:
        assert "Due date must be a date (YYYY-MM-DD)." in _html(page)
        assert fields == {"due_date": "due_date must be a date (YYYY-MM-DD)."}
    assert db.session.query(Item).filter_by(title="Dated").count() == 0


def test_an_id_no_record_can_have_is_an_unknown_id_on_both_doors(web, manager_api, lead):
    page = form_post(web, "/items/new", _item_form(lead, lead_id=str(2**31)))
    assert page.status_code == 422
    assert "Lead organisation names something that does not exist." in (_html(page))
    answer = manager_api.post("/items", json={"kind": "action", "title": "Led", "lead_id": 2**31})
    assert assert_error(answer, 422)["error"]["fields"] == {
        "lead_id": "lead_id names something that does not exist."
    }


def test_more_than_100_ids_are_refused_by_both_doors(web, manager_api, lead):
    ids = [str(n) for n in range(1, 102)]
    page = form_post(
        web,
        "/items/new",
        {"kind": "action", "title": "Many", "lead_id": str(lead.id), "theme_ids": ids},
    )
    assert page.status_code == 422
    assert "Themes names more than 100 records." in _html(page)
    answer = manager_api.post(
        "/items",
        json={
            "kind": "action",
            "title": "Many",
            "lead_id": lead.id,
            "theme_ids": list(range(1, 102)),
        },
    )
    assert assert_error(answer, 422)["error"]["fields"] == {
        "theme_ids": "theme_ids names more than 100 records."
    }


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("page=1000001", "page", "page must be a whole number from 1 to 1000000."),
        ("page=%C2%B2", "page", "page must be a whole number."),
        ("per_page=201", "per_page", "per_page must be a whole number from 1 to 200."),
        (
            "kind=idea",
            "kind",
            "kind must be one of: challenge, recommendation, action, opportunity.",
        ),
        ("overdue=maybe", "overdue", "overdue must be true or false."),
        ("sort=updated", "sort", "sort must be one of: id, code, lead, title"),
        ("order=up", "order", "order must be one of: asc, desc."),
    ],
)
def test_the_item_list_refuses_the_same_arguments_on_both_doors(
    web, manager_api, query, field, words
):
    page = web.get("/items?" + query)
    assert page.status_code == 400
    label = {"per_page": "Items per page"}.get(field, field.capitalize())
    assert words.replace(field, label, 1) in _html(page)
    body = assert_error(manager_api.get("/items?" + query), 400, "invalid_parameters")
    assert set(body["error"]["fields"]) == {field}
    assert body["error"]["fields"][field].startswith(words)


def test_the_api_list_sorts_as_the_web_list_does(web, manager_api, lead):
    for title in ("banana", "Apple", "cherry"):
        make_item(lead=lead, title=title)
    body = manager_api.get(f"/items?lead={lead.id}&sort=title&order=desc").get_json()
    assert [i["title"] for i in body["items"]] == ["cherry", "banana", "Apple"]
    html = _html(web.get(f"/items?lead={lead.id}&sort=title&order=desc"))
    assert html.index("cherry") < html.index("banana") < html.index("Apple")


@pytest.mark.parametrize(
    ("as_of", "words"),
    [
        ("0001-01-01", "as_of must be a date from 1900-01-01 to 9999-12-31."),
        ("1899-12-31", "as_of must be a date from 1900-01-01 to 9999-12-31."),
        ((today() + timedelta(days=1)).isoformat(), "as_of cannot be in the future."),
        ("2025-1-1", "as_of must be a date (YYYY-MM-DD)."),
    ],
)
def test_report_dates_have_one_range_on_every_door(web, manager_api, cli, tmp_path, as_of, words):
    body = assert_error(manager_api.get("/summary", query_string={"as_of": as_of}), 400)
    assert body["error"]["fields"] == {"as_of": words}
    for path in ("/reports", "/reports/status.csv"):
        page = web.get(path, query_string={"as_of": as_of})
        assert page.status_code == 400
        assert words.replace("as_of", "", 1)[1:] in _html(page)
    out = tmp_path / "report.csv"
    result = cli.invoke(args=["report", "--format", "csv", "--out", str(out), "--as-of", as_of])
    assert result.exit_code == 2
    assert f"Error: {words}" in result.output
    assert not out.exists()


def test_the_oldest_report_date_is_accepted_everywhere(web, manager_api):
    assert manager_api.get("/summary", query_string={"as_of": "1900-01-01"}).status_code == 200
    assert web.get("/reports?as_of=1900-01-01").status_code == 200
