"""Reading through the API: organisations, themes, me, the item list and an item, its
updates, comments, history, evidence, indicators; and the description."""

from datetime import timedelta

from sqlalchemy import event

from app.core.time import today, utcnow
from app.extensions import db
from app.items import services as item_services
from tests.api.conftest import assert_error
from tests.factories import SYSTEM, make_item, make_org, make_user, set_status

ITEM_LIST_KEYS = {
    "id",
    "kind",
    "title",
    "status",
    "progress",
    "version",
    "lead",
    "due_date",
    "overdue",
    "stale",
}
ITEM_KEYS = {
    "id",
    "kind",
    "title",
    "text",
    "status",
    "progress",
    "version",
    "lead",
    "supporting",
    "owner",
    "due_date",
    "themes",
    "links",
    "overdue",
    "stale",
    "created_at",
    "updated_at",
}


def test_organisations_lists_every_organisation(viewer_api):
    parent = make_org("MSPC")
    make_org("PN", parent=parent, kind="security_force")
    body = viewer_api.get("/organisations").get_json()
    by_acronym = {o["acronym"]: o for o in body["organisations"]}
    assert by_acronym["PN"]["parent_id"] == parent.id
    assert by_acronym["PN"]["kind"] == "security_force"
    assert set(by_acronym["PN"]) == {"id", "name", "acronym", "kind", "parent_id"}


def test_themes_lists_every_theme(viewer_api):
    parent = item_services.create_theme(SYSTEM, code="a", title="Ceasefire")
    item_services.create_theme(SYSTEM, code="a.i", title="Monitor", parent=parent)
    themes = {t["code"]: t for t in viewer_api.get("/themes").get_json()["themes"]}
    assert themes["a.i"]["parent_id"] == parent.id


def test_me_names_the_tokens_user(staff_api, staff):
    body = staff_api.get("/me").get_json()
    assert body["id"] == staff.id
    assert body["role"] == "staff"
    assert body["organisation"]["acronym"] == staff.organisation.acronym


def test_item_list_has_the_contract_fields_and_counts(viewer_api):
    lead = make_org()
    for _ in range(5):
        make_item(lead=lead)
    body = viewer_api.get("/items", query_string={"lead": lead.acronym, "per_page": 2}).get_json()
    assert body["total"] == 5
    assert body["page"] == 1
    assert body["per_page"] == 2
    assert len(body["items"]) == 2
    entry = body["items"][0]
    assert set(entry) >= ITEM_LIST_KEYS
    assert entry["lead"]["acronym"] == lead.acronym


def test_item_list_pages_are_stable_and_complete(viewer_api):
    lead = make_org()
    ids = [make_item(lead=lead).id for _ in range(7)]
    seen = []
    for page in (1, 2, 3):
        body = viewer_api.get(
            "/items", query_string={"lead": lead.id, "per_page": 3, "page": page}
        ).get_json()
        seen += [i["id"] for i in body["items"]]
    assert seen == sorted(ids)
    past_end = viewer_api.get("/items", query_string={"lead": lead.id, "page": 9}).get_json()
    assert past_end["items"] == []
    assert past_end["total"] == 7


def test_item_list_filters(viewer_api):
    lead = make_org()
    theme = item_services.create_theme(SYSTEM, code="zz", title="Theme")
    late = make_item(
        lead=lead,
        kind="challenge",
        title="Late harvest",
        due_date=today() - timedelta(days=3),
        themes=[theme],
    )
    started = set_status(make_item(lead=lead), "in_progress")
    forgotten = make_item(lead=lead)
    forgotten.last_update_at = utcnow() - timedelta(days=61)
    db.session.flush()

    def ids(**args):
        body = viewer_api.get("/items", query_string={"lead": lead.acronym, **args}).get_json()
        return {i["id"] for i in body["items"]}

    assert ids(kind="challenge") == {late.id}
    assert ids(status="in_progress") == {started.id}
    assert ids(overdue="true") == {late.id}
    assert ids(theme="zz") == {late.id}
    assert ids(q="harvest") == {late.id}
    assert ids(stale="true") == {forgotten.id}
    assert ids(stale="false", kind="recommendation") == {started.id}
    body = viewer_api.get("/items", query_string={"lead": lead.acronym, "overdue": "1"}).get_json()
    assert body["items"][0]["overdue"] is True
    body = viewer_api.get("/items", query_string={"lead": lead.acronym, "stale": "yes"}).get_json()
    assert body["items"][0]["stale"] is True
    assert body["total"] == 1


def test_item_list_takes_a_bounded_number_of_statements(viewer_api):
    lead, other = make_org(), make_org()
    theme = item_services.create_theme(SYSTEM, code="st", title="Theme")
    for _ in range(30):
        make_item(lead=lead, supporting=[other], themes=[theme])
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = viewer_api.get("/items", query_string={"per_page": 200})
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    assert len(response.get_json()["items"]) >= 30
    # Token lookup, user, last use; count, page, lead, supporting, themes, owner; savepoints.
    assert len(statements) <= 12, "\n".join(s[:80] for s in statements)


def test_item_detail_has_the_contract_fields(viewer_api):
    lead, supporter = make_org(), make_org()
    owner = make_user("staff", lead)
    theme = item_services.create_theme(SYSTEM, code="b", title="Theme B")
    challenge = make_item(lead=lead, kind="challenge")
    item = make_item(
        lead=lead,
        supporting=[supporter],
        themes=[theme],
        owner=owner,
        links=[challenge],
        due_date=today() + timedelta(days=10),
        text="Body",
    )
    body = viewer_api.get(f"/items/{item.id}").get_json()
    assert set(body) >= ITEM_KEYS
    assert body["lead"] == {"id": lead.id, "acronym": lead.acronym, "name": lead.name}
    assert [o["acronym"] for o in body["supporting"]] == [supporter.acronym]
    assert body["owner"]["id"] == owner.id
    assert body["themes"][0]["code"] == "b"
    assert body["links"][0]["id"] == challenge.id
    assert body["due_date"] == item.due_date.isoformat()
    assert body["overdue"] is False
    assert body["stale"] is False
    assert body["created_at"].endswith("+00:00")


def test_updates_are_listed_oldest_first(viewer_api):
    item = set_status(make_item(), "implemented")
    updates = viewer_api.get(f"/items/{item.id}/updates").get_json()["updates"]
    assert [(u["from_status"], u["to_status"]) for u in updates] == [
        ("not_started", "in_progress"),
        ("in_progress", "implemented"),
    ]


def test_comments_are_listed(viewer_api):
    item = make_item()
    item_services.add_comment(SYSTEM, item, "First **bold**")
    comments = viewer_api.get(f"/items/{item.id}/comments").get_json()["comments"]
    assert [c["body"] for c in comments] == ["First **bold**"]


def test_history_is_the_items_audit_events_oldest_first(viewer_api):
    item = make_item()
    set_status(item, "in_progress")
    item_services.add_comment(SYSTEM, item, "Noted")
    other = make_item()
    events = viewer_api.get(f"/items/{item.id}/history").get_json()["events"]
    assert [e["id"] for e in events] == sorted(e["id"] for e in events)
    assert events[0]["record_type"] == "items"
    assert events[0]["action"] == "insert"
    assert {e["record_type"] for e in events} >= {"items", "status_updates", "comments"}
    assert all(not (e["record_type"] == "items" and e["record_id"] == other.id) for e in events)


def test_evidence_lists_metadata(viewer_api):
    item = make_item()
    item_services.attach_evidence(SYSTEM, item, title="Report", url="https://example.org/r")
    evidence = viewer_api.get(f"/items/{item.id}/evidence").get_json()["evidence"]
    assert evidence[0]["kind"] == "link"
    assert evidence[0]["url"] == "https://example.org/r"
    assert "stored_name" not in evidence[0]


def test_indicators_list_measurements(viewer_api):
    item = make_item()
    indicator = item_services.create_indicator(
        SYSTEM,
        item,
        name="Police deployed",
        unit="officers",
        baseline_value=1052,
        target_value=1440,
    )
    item_services.record_measurement(SYSTEM, indicator, value=1100, measured_on=today().isoformat())
    body = viewer_api.get(f"/items/{item.id}/indicators").get_json()
    assert body["indicators"][0]["target_value"] == 1440
    assert body["indicators"][0]["measurements"][0]["value"] == 1100


def test_openapi_describes_every_api_route(viewer_api, app):
    spec = viewer_api.get("/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    described = {path for path in spec["paths"]}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            path = rule.rule.replace("<id:", "{").replace(">", "}")
            assert path in described, path
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    item_id = next(
        p for p in spec["paths"]["/api/v1/items/{item_id}"]["parameters"] if p["name"] == "item_id"
    )
    assert item_id["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}


def test_the_openapi_description_is_valid(viewer_api):
    import schemathesis

    # Checked against the OpenAPI 3.0 meta-schema; raises on the first violation.
    schemathesis.openapi.from_dict(viewer_api.get("/openapi.json").get_json()).validate()


def test_unknown_item_is_404_in_json(viewer_api):
    for path in (
        "/items/999999",
        "/items/0",
        "/items/abc",
        "/items/-3",
        "/items/1.5",
        "/items/99999999999999999999",
        "/items/999999/updates",
        "/items/abc/history",
        "/nowhere",
    ):
        assert_error(viewer_api.get(path), 404, "not_found")
