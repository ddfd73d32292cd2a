"""Writing through the API: create and edit items, post status updates, comment, record a
measurement — with the same permissions, workflow and conflict rules as the web pages."""

from app.core.time import today
from app.extensions import db
from app.items import services as item_services
from app.items.models import Comment, Item
from tests.api.conftest import assert_error
from tests.factories import SYSTEM, make_item, make_org, make_user, set_status


def test_manager_creates_an_item_and_gets_it_as_get_shows_it(manager_api):
    lead, supporter = make_org(), make_org()
    theme = item_services.create_theme(SYSTEM, code="c", title="Theme C")
    challenge = make_item(lead=lead, kind="challenge")
    owner = make_user("staff", lead)
    response = manager_api.post(
        "/items",
        json={
            "kind": "recommendation",
            "title": "Deploy more police",
            "text": "Why and how.",
            "lead_id": lead.id,
            "supporting_ids": [supporter.id],
            "theme_ids": [theme.id],
            "link_ids": [challenge.id],
            "owner_id": owner.id,
            "due_date": "2027-01-31",
            "priority": "high",
        },
    )
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["status"] == "not_started"
    assert created["version"] == 1
    assert created["supporting"][0]["id"] == supporter.id
    assert created["links"][0]["id"] == challenge.id
    assert created["priority"] == "high"
    assert created["due_date"] == "2027-01-31"
    shown = manager_api.get(f"/items/{created['id']}").get_json()
    assert shown == created


def test_staff_and_viewer_cannot_create_items(staff_api, viewer_api):
    lead = make_org()
    body = {"kind": "action", "title": "Nope", "lead_id": lead.id}
    assert_error(staff_api.post("/items", json=body), 403, "forbidden")
    assert_error(viewer_api.post("/items", json=body), 403, "forbidden")
    assert db.session.query(Item).filter_by(title="Nope").count() == 0


def test_create_refuses_unknown_references(manager_api):
    lead = make_org()
    body = assert_error(
        manager_api.post(
            "/items",
            json={"kind": "action", "title": "X", "lead_id": lead.id, "theme_ids": [987654]},
        ),
        422,
    )
    assert "theme_ids" in body["error"]["fields"]
    body = assert_error(
        manager_api.post("/items", json={"kind": "action", "title": "X", "lead_id": 987654}), 422
    )
    assert "lead_id" in body["error"]["fields"]


def test_patch_changes_fields_and_moves_the_version(manager_api):
    item = make_item(title="Old")
    other = make_org()
    response = manager_api.patch(
        f"/items/{item.id}",
        json={
            "version": item.version,
            "title": "New",
            "supporting_ids": [other.id],
            "due_date": None,
        },
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["title"] == "New"
    assert body["version"] == item.version + 1
    assert [o["id"] for o in body["supporting"]] == [other.id]


def test_patch_with_a_stale_version_is_409_with_the_current_version(manager_api):
    item = make_item(title="Before")
    seen = item.version
    item_services.edit_item(SYSTEM, item, seen, title="Changed by someone else")
    db.session.flush()
    body = assert_error(
        manager_api.patch(f"/items/{item.id}", json={"version": seen, "title": "Mine"}),
        409,
        "conflict",
    )
    assert body["current_version"] == item.version
    assert body["error"]["current_version"] == item.version
    db.session.expire_all()
    assert db.session.get(Item, item.id).title == "Changed by someone else"


def test_patch_requires_the_version(manager_api):
    item = make_item()
    body = assert_error(manager_api.patch(f"/items/{item.id}", json={"title": "T"}), 422)
    assert "version" in body["error"]["fields"]


def test_viewer_cannot_patch(viewer_api):
    item = make_item()
    assert_error(
        viewer_api.patch(f"/items/{item.id}", json={"version": item.version, "title": "T"}), 403
    )


def test_staff_posts_an_update_on_their_organisations_item(staff_api, staff):
    item = make_item(lead=staff.organisation)
    response = staff_api.post(
        f"/items/{item.id}/updates",
        json={"status": "in_progress", "progress": 30, "note": "Started", "version": item.version},
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "in_progress"
    assert body["progress"] == 30
    assert body["version"] == item.version + 1
    updates = staff_api.get(f"/items/{item.id}/updates").get_json()["updates"]
    assert updates[-1]["note"] == "Started"
    assert updates[-1]["author"]["id"] == staff.id


def test_staff_of_another_organisation_cannot_post_an_update(staff_api):
    item = make_item(lead=make_org())
    assert_error(
        staff_api.post(
            f"/items/{item.id}/updates", json={"status": "in_progress", "version": item.version}
        ),
        403,
        "forbidden",
    )


def test_viewer_cannot_post_an_update(viewer_api, viewer):
    item = make_item(lead=viewer.organisation)
    assert_error(
        viewer_api.post(
            f"/items/{item.id}/updates", json={"status": "in_progress", "version": item.version}
        ),
        403,
    )


def test_update_with_a_stale_version_is_409(staff_api, staff):
    item = make_item(lead=staff.organisation)
    seen = item.version
    set_status(item, "in_progress")
    body = assert_error(
        staff_api.post(
            f"/items/{item.id}/updates", json={"status": "blocked", "note": "x", "version": seen}
        ),
        409,
        "conflict",
    )
    assert body["current_version"] == item.version


def test_workflow_refusal_is_422(staff_api, staff, manager_api):
    item = make_item(lead=staff.organisation)
    body = assert_error(
        staff_api.post(
            f"/items/{item.id}/updates", json={"status": "verified", "version": item.version}
        ),
        422,
        "transition_not_allowed",
    )
    assert body["error"]["message"]
    # Blocked needs a note.
    assert_error(
        staff_api.post(
            f"/items/{item.id}/updates", json={"status": "blocked", "version": item.version}
        ),
        422,
    )
    # Verification is a manager's, from implemented only.
    set_status(item, "implemented")
    response = manager_api.post(
        f"/items/{item.id}/updates", json={"status": "verified", "version": item.version}
    )
    assert response.status_code == 201
    assert response.get_json()["status"] == "verified"


def test_staff_comments_in_markdown(staff_api, staff):
    item = make_item()
    response = staff_api.post(f"/items/{item.id}/comments", json={"body": "Done *partly*."})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["body"] == "Done *partly*."
    assert response.get_json()["author"]["id"] == staff.id
    assert db.session.query(Comment).filter_by(item_id=item.id).count() == 1


def test_viewer_cannot_comment(viewer_api):
    item = make_item()
    assert_error(viewer_api.post(f"/items/{item.id}/comments", json={"body": "Hi"}), 403)


def test_staff_records_a_measurement(staff_api, staff):
    item = make_item(lead=staff.organisation)
    indicator = item_services.create_indicator(SYSTEM, item, name="Police", unit="officers")
    response = staff_api.post(
        f"/indicators/{indicator.id}/measurements",
        json={"value": 1052, "measured_on": "2015-02-28", "note": "Brief"},
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["measurements"][0]["value"] == 1052


def test_measurement_in_the_future_or_unknown_indicator_is_refused(staff_api, staff):
    item = make_item(lead=staff.organisation)
    indicator = item_services.create_indicator(SYSTEM, item, name="Police")
    tomorrow = today().replace(year=today().year + 1).isoformat()
    assert_error(
        staff_api.post(
            f"/indicators/{indicator.id}/measurements", json={"value": 1, "measured_on": tomorrow}
        ),
        422,
    )
    assert_error(
        staff_api.post(
            "/indicators/987654/measurements", json={"value": 1, "measured_on": "2015-02-28"}
        ),
        404,
    )


def test_every_write_is_in_the_items_history(manager_api, manager):
    item = make_item()
    manager_api.post(
        f"/items/{item.id}/updates", json={"status": "in_progress", "version": item.version}
    )
    manager_api.post(f"/items/{item.id}/comments", json={"body": "Noted"})
    events = manager_api.get(f"/items/{item.id}/history").get_json()["events"]
    by_manager = {e["record_type"] for e in events if e["actor_id"] == manager.id}
    assert by_manager == {"items", "status_updates", "comments"}
    assert events[-1]["record_type"] == "comments"
