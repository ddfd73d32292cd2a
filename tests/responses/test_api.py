"""GET and PUT /api/v1/items/<id>/response, the response filter in the list, and
``by_response`` in the summary."""

from app.items import queries
from tests.api.conftest import assert_error
from tests.factories import make_item, make_org


def _put(api, item_id, **body):
    return api.raw("PUT", f"/items/{item_id}/response", json=body)


def test_an_item_without_a_response_answers_null(viewer_api):
    item = make_item()
    body = viewer_api.get(f"/items/{item.id}/response").get_json()
    assert body == {"item_id": item.id, "version": item.version, "response": None, "history": []}


def test_an_unknown_item_answers_404(viewer_api):
    assert_error(viewer_api.get("/items/987654/response"), 404, "not_found")


def test_lead_staff_puts_a_response_and_gets_it_back(staff_api, org):
    item = make_item(lead=org)
    response = _put(staff_api, item.id, position="accepted", text="Agreed.", version=item.version)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["response"]["position"] == "accepted"
    assert body["response"]["text"] == "Agreed."
    assert body["response"]["organisation"]["acronym"] == org.acronym
    assert body["version"] == 2
    assert staff_api.get(f"/items/{item.id}/response").get_json() == body
    assert staff_api.get(f"/items/{item.id}").get_json()["version"] == 2


def test_a_revision_lists_the_earlier_response_in_history(manager_api):
    item = make_item()
    first = _put(manager_api, item.id, position="noted", version=1).get_json()
    second = _put(
        manager_api, item.id, position="accepted", responded_on="2026-01-15", version=2
    ).get_json()
    assert second["response"]["position"] == "accepted"
    assert second["response"]["responded_on"] == "2026-01-15"
    assert [r["id"] for r in second["history"]] == [first["response"]["id"]]
    assert second["history"][0]["superseded_at"] is not None


def test_a_stale_version_is_409_and_changes_nothing(manager_api):
    item = make_item()
    _put(manager_api, item.id, position="noted", version=1)
    body = assert_error(_put(manager_api, item.id, position="rejected", version=1), 409)
    assert body["error"]["code"] == "conflict"
    assert queries.current_response(item).position == "noted"


def test_supporting_staff_and_viewers_are_refused_403(staff_api, viewer_api, org):
    item = make_item(lead=make_org(), supporting=[org])
    assert_error(_put(staff_api, item.id, position="accepted", version=1), 403, "forbidden")
    assert_error(_put(viewer_api, item.id, position="accepted", version=1), 403, "forbidden")


def test_bad_bodies_are_refused_with_the_field_named(manager_api):
    item = make_item()
    cases = [
        ({"position": "maybe", "version": 1}, "position"),
        ({"position": "accepted"}, "version"),
        ({"position": "accepted", "version": 1, "responded_on": "31/01/2026"}, "responded_on"),
        ({"position": "accepted", "version": 1, "extra": 1}, "extra"),
    ]
    for body, field in cases:
        error = assert_error(_put(manager_api, item.id, **body), 422)
        assert field in error["error"]["fields"], (body, error)
    assert queries.current_response(item) is None


def test_a_challenge_takes_no_response(manager_api):
    item = make_item(kind="challenge")
    assert_error(_put(manager_api, item.id, position="accepted", version=1), 422)


def test_the_list_filters_by_response(viewer_api, manager_api):
    accepted, rejected, silent = make_item(), make_item(), make_item()
    _put(manager_api, accepted.id, position="accepted", version=1)
    _put(manager_api, rejected.id, position="noted", version=1)
    _put(manager_api, rejected.id, position="rejected", version=2)

    def ids(response):
        return {i["id"] for i in viewer_api.get(f"/items?response={response}").get_json()["items"]}

    assert ids("accepted") == {accepted.id}
    assert ids("rejected") == {rejected.id}
    assert ids("noted") == set()
    assert silent.id in ids("none")
    assert not {accepted.id, rejected.id} & ids("none")
    assert_error(viewer_api.get("/items?response=maybe"), 400)


def test_the_summary_counts_items_by_response(viewer_api, manager_api):
    lead = make_org()
    first, second = make_item(lead=lead), make_item(lead=lead)
    make_item(lead=lead)
    _put(manager_api, first.id, position="accepted", version=1)
    _put(manager_api, second.id, position="accepted", version=1)
    summary = viewer_api.get(f"/summary?lead={lead.acronym}").get_json()
    assert summary["by_response"] == {
        "accepted": 2,
        "partially_accepted": 0,
        "noted": 0,
        "rejected": 0,
        "none": 1,
    }
    filtered = viewer_api.get(f"/summary?lead={lead.acronym}&response=none").get_json()
    assert filtered["total"] == 1


def test_the_openapi_document_describes_the_response_routes(viewer_api):
    paths = viewer_api.get("/openapi.json").get_json()["paths"]
    assert set(paths["/api/v1/items/{item_id}/response"]) >= {"get", "put"}


def test_items_show_the_position_of_their_current_response(viewer_api, manager_api):
    answered, silent = make_item(), make_item()
    _put(manager_api, answered.id, position="noted", version=1)
    _put(manager_api, answered.id, position="accepted", version=2)
    assert viewer_api.get(f"/items/{answered.id}").get_json()["response"] == "accepted"
    assert viewer_api.get(f"/items/{silent.id}").get_json()["response"] is None
    listed = {i["id"]: i["response"] for i in viewer_api.get("/items").get_json()["items"]}
    assert (listed[answered.id], listed[silent.id]) == ("accepted", None)
