"""GET /api/v1/rounds and /api/v1/rounds/<id>: per item whether and by which update it was
reported, per lead organisation the expected and reported counts."""

from datetime import timedelta

from app.core.time import today
from app.extensions import db
from app.items import services as item_services
from app.rounds import services
from tests.api.conftest import Api, token_for
from tests.factories import make_item, make_org, make_user


def test_the_api_lists_rounds_and_tells_who_reported_what(client):
    a, b = make_org("APIA"), make_org("APIB")
    manager, staff = make_user("manager", organisation=b), make_user("staff", organisation=a)
    viewer = make_user("viewer", organisation=b)
    a1, a2, b1 = make_item(lead=a, title="A1"), make_item(lead=a, title="A2"), make_item(lead=b)
    rnd = services.open_round(
        manager,
        title="Q4",
        opens_on=today().isoformat(),
        due_on=(today() + timedelta(days=9)).isoformat(),
        filters={},
    )
    update = item_services.change_status(staff, a2, 1, status="in_progress", progress=20)
    api = Api(client, token_for(viewer))
    db.session.commit()

    listing = api.get("/rounds")
    assert listing.status_code == 200
    [entry] = [r for r in listing.get_json()["rounds"] if r["id"] == rnd.id]
    assert (entry["state"], entry["expected"], entry["reported"]) == ("open", 3, 1)
    assert entry["due_on"] == (today() + timedelta(days=9)).isoformat()

    body = api.get(f"/rounds/{rnd.id}").get_json()
    items = {i["id"]: i for i in body["items"]}
    assert items[a2.id]["reported"] is True
    assert items[a2.id]["update_id"] == update.id
    assert items[a1.id] == {
        "id": a1.id,
        "code": None,
        "title": "A1",
        "status": "not_started",
        "lead": {"id": a.id, "acronym": "APIA", "name": a.name},
        "reported": False,
        "update_id": None,
        "reported_at": None,
    }
    assert items[b1.id]["reported"] is False
    assert [
        (e["organisation"]["acronym"], e["expected"], e["reported"]) for e in body["by_lead"]
    ] == [
        ("APIA", 2, 1),
        ("APIB", 1, 0),
    ]
    assert body["reports"] == []
    assert body["closed_at"] is None


def test_an_unknown_round_is_a_json_404(client):
    api = Api(client, token_for(make_user("viewer")))
    db.session.commit()
    response = api.get("/rounds/999999")
    assert response.status_code == 404
    assert response.get_json()["error"]["message"] == "No round with id 999999."


def test_the_description_has_the_rounds(client):
    api = Api(client, token_for(make_user("viewer")))
    db.session.commit()
    paths = api.get("/openapi.json").get_json()["paths"]
    assert "get" in paths["/api/v1/rounds"]
    assert "get" in paths["/api/v1/rounds/{round_id}"]
