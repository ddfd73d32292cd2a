"""Every refusal is JSON in one shape, with the right status: 400, 401, 403, 404, 405, 409,
413, 415, 422, 429 — never a 500, never an HTML page."""

from datetime import timedelta

import pytest

from app import create_app
from app.auth import services as auth_services
from app.auth.models import ApiToken
from app.core.time import today
from app.extensions import db, limiter
from app.items.models import Item
from tests.api.conftest import Api, assert_error, token_for
from tests.conftest import IsolatedClient, database_url_for_tests
from tests.factories import SYSTEM, make_item, make_user
from tests.helpers import login

# --- authentication ---------------------------------------------------------------------------


def test_no_token_is_401(anon_api):
    for path in ("/items", "/me", "/organisations", "/summary", "/openapi.json"):
        response = anon_api.get(path)
        assert_error(response, 401, "unauthorized")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    [
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer ",
        "Bearer suivi_not-a-real-token",
        "Bearer x" * 300,
        "Token suivi_abc",
    ],
)
def test_malformed_or_unknown_token_is_401(client, header):
    response = client.get("/api/v1/items", headers={"Authorization": header})
    assert_error(response, 401, "unauthorized")


def test_revoked_token_stops_at_once(client, staff):
    plaintext = token_for(staff)
    api = Api(client, plaintext)
    assert api.get("/me").status_code == 200
    record = db.session.query(ApiToken).filter_by(user_id=staff.id).one()
    auth_services.revoke_token(SYSTEM, record)
    db.session.flush()
    assert_error(api.get("/me"), 401)


def test_deactivated_users_token_stops_at_once(client, staff):
    api = Api(client, token_for(staff))
    assert api.get("/me").status_code == 200
    auth_services.update_user(SYSTEM, staff, is_active=False)
    db.session.flush()
    assert_error(api.get("/me"), 401)


def test_token_use_is_recorded(client, staff):
    plaintext = token_for(staff)
    Api(client, plaintext).get("/me")
    db.session.expire_all()
    assert db.session.query(ApiToken).filter_by(user_id=staff.id).one().last_used_at is not None


def test_a_session_cookie_is_neither_needed_nor_accepted(client, staff):
    login(client, staff)
    assert client.get("/api/v1/me").status_code == 401  # logged in, but no token
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token_for(staff)}"})
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_api_writes_need_no_csrf_token(staff_api, staff):
    # The suite runs with CSRF protection on: a token-authenticated POST still goes through.
    item = make_item(lead=staff.organisation)
    response = staff_api.post(f"/items/{item.id}/comments", json={"body": "ok"})
    assert response.status_code == 201


# --- bodies -----------------------------------------------------------------------------------


def test_body_that_is_not_json_is_415(manager_api):
    item = make_item()
    response = manager_api.raw(
        "PATCH",
        f"/items/{item.id}",
        data="title=x",
        content_type="application/x-www-form-urlencoded",
    )
    assert_error(response, 415, "unsupported_media_type")
    assert_error(manager_api.raw("POST", "/items", data="{}", content_type="text/plain"), 415)
    assert_error(manager_api.raw("POST", "/items"), 415)


@pytest.mark.parametrize(
    "raw",
    [
        '{"title": ',
        "not json",
        "\xff\xfe",
        '{"a": NaN',
        "",
        "[" * 100_000 + "]" * 100_000,
        '{"a": 1' + "0" * 5000 + "}",
    ],
)
def test_malformed_json_is_400(manager_api, raw):
    response = manager_api.raw("POST", "/items", data=raw, content_type="application/json")
    assert_error(response, 400)


@pytest.mark.parametrize("raw", ["[]", '"text"', "null", "42", '[{"kind": "action"}]'])
def test_json_that_is_not_an_object_is_400(manager_api, raw):
    response = manager_api.raw("POST", "/items", data=raw, content_type="application/json")
    body = assert_error(response, 400)
    assert "object" in body["error"]["message"]


def test_a_body_on_get_is_400(viewer_api):
    response = viewer_api.raw("GET", "/items", data='{"page": 2}', content_type="application/json")
    assert_error(response, 400)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "action", "title": 123, "lead_id": 1}, "title"),
        ({"kind": "action", "title": "T", "lead_id": "one"}, "lead_id"),
        ({"kind": "action", "title": "T", "lead_id": True}, "lead_id"),
        ({"kind": "action", "title": "T", "lead_id": 1.5}, "lead_id"),
        ({"kind": "action", "title": "T", "lead_id": 10**30}, "lead_id"),
        ({"kind": "action", "title": "T", "lead_id": -4}, "lead_id"),
        ({"kind": "action", "title": "T", "lead_id": 1, "supporting_ids": "2"}, "supporting_ids"),
        (
            {"kind": "action", "title": "T", "lead_id": 1, "supporting_ids": ["x"]},
            "supporting_ids.0",
        ),
        ({"kind": "action", "title": "T", "lead_id": 1, "due_date": "31/01/2027"}, "due_date"),
        ({"kind": "action", "title": "T", "lead_id": 1, "priority": "urgent"}, "priority"),
        ({"kind": "idea", "title": "T", "lead_id": 1}, "kind"),
        ({"title": "T", "lead_id": 1}, "kind"),
        ({"kind": "action", "lead_id": 1}, "title"),
        ({"kind": "action", "title": "T"}, "lead_id"),
        ({"kind": "action", "title": "   ", "lead_id": 1}, "title"),
        ({"kind": "action", "title": "x" * 301, "lead_id": 1}, "title"),
        ({"kind": "action", "title": "a\x00b", "lead_id": 1}, "title"),
        ({"kind": "action", "title": "a\ud800b", "lead_id": 1}, "title"),
        ({"kind": "action", "title": "T", "lead_id": 1, "text": "x" * 20_001}, "text"),
        ({"kind": "action", "title": "T", "lead_id": 1, "status": "verified"}, "status"),
        ({"kind": "action", "title": "T", "lead_id": 1, "version": 1}, "version"),
    ],
)
def test_bad_item_fields_are_422_naming_the_field(manager_api, body, field):
    response = manager_api.post("/items", json=body)
    result = assert_error(response, 422, "validation_error")
    assert field in result["error"]["fields"], result
    assert db.session.query(Item).count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "in_progress"}, "version"),
        ({"version": 1}, "status"),
        ({"status": "in_progress", "version": "1"}, "version"),
        ({"status": "in_progress", "version": 1, "progress": "50"}, "progress"),
        ({"status": "in_progress", "version": 1, "progress": 50.5}, "progress"),
        ({"status": "in_progress", "version": 1, "progress": 101}, "progress"),
        ({"status": "in_progress", "version": 1, "progress": -1}, "progress"),
        ({"status": "done", "version": 1}, "status"),
        ({"status": "in_progress", "version": 1, "note": "n" * 10_001}, "note"),
        ({"status": "in_progress", "version": 1, "author_id": 1}, "author_id"),
    ],
)
def test_bad_update_fields_are_422(manager_api, body, field):
    item = make_item()
    result = assert_error(manager_api.post(f"/items/{item.id}/updates", json=body), 422)
    assert field in result["error"]["fields"], result


def test_bad_comment_is_422(staff_api):
    item = make_item()
    for body, field in (
        ({}, "body"),
        ({"body": ""}, "body"),
        ({"body": "x" * 10_001}, "body"),
        ({"body": "ok", "html": "<b>"}, "html"),
        ({"body": ["a"]}, "body"),
    ):
        result = assert_error(staff_api.post(f"/items/{item.id}/comments", json=body), 422)
        assert field in result["error"]["fields"], result


def test_request_larger_than_the_limit_is_413(manager_api, app):
    huge = "x" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    response = manager_api.raw(
        "POST", "/items", data='{"title": "' + huge + '"}', content_type="application/json"
    )
    assert_error(response, 413)


# --- query strings and paths ------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        {"page": "0"},
        {"page": "-1"},
        {"page": "abc"},
        {"page": "1.5"},
        {"page": "99999999999999999999999"},
        {"page": "²"},
        {"per_page": "0"},
        {"per_page": "201"},
        {"per_page": "10000"},
        {"per_page": ""},
        {"kind": "idea"},
        {"status": "finished"},
        {"overdue": "maybe"},
        {"q": "x" * 201},
        {"q": "a\x00b"},
        {"sort": "nope"},
        {"sort": "updated"},
        {"order": "up"},
        {"kind": ""},
        {"as_of": "2026-01-01"},
        {"pagee": "2"},
    ],
)
def test_bad_list_parameters_are_400(viewer_api, args):
    result = assert_error(viewer_api.get("/items", query_string=args), 400, "invalid_parameters")
    assert set(result["error"]["fields"]) == set(args), result


def test_per_page_200_is_allowed(viewer_api):
    assert viewer_api.get("/items", query_string={"per_page": 200}).status_code == 200


def test_filters_that_match_nothing_give_an_empty_page(viewer_api):
    for args in (
        {"lead": "NOBODY"},
        {"lead": "99999999999999999999"},
        {"theme": "³"},
        {"lead": "٣"},
    ):
        body = viewer_api.get("/items", query_string=args).get_json()
        assert body["items"] == [], args
        assert body["total"] == 0, args


def test_wrong_method_is_405_with_allow(viewer_api):
    item = make_item()
    response = viewer_api.raw("DELETE", f"/items/{item.id}")
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]
    assert_error(viewer_api.raw("PUT", "/organisations", json={}), 405)


# --- summary ----------------------------------------------------------------------------------


def test_summary_counts_and_takes_as_of(viewer_api):
    item = make_item()
    make_item(due_date=today() - timedelta(days=1))
    body = viewer_api.get("/summary").get_json()
    assert set(body) >= {"as_of", "total", "by_status", "by_lead", "by_theme", "overdue", "stale"}
    assert body["total"] >= 2
    assert body["overdue"] >= 1
    lead_entry = next(e for e in body["by_lead"] if e["organisation"]["id"] == item.lead_id)
    assert lead_entry["count"] == 1
    assert lead_entry["share_done"] == 0
    yesterday = (today() - timedelta(days=1)).isoformat()
    past = viewer_api.get("/summary", query_string={"as_of": yesterday}).get_json()
    assert past["as_of"] == yesterday


@pytest.mark.parametrize(
    "as_of", ["", "yesterday", "2025-13-01", "2025-02-30", "20250101", "2025-1-1", "9999-12-31"]
)
def test_summary_refuses_a_bad_as_of(viewer_api, as_of):
    result = assert_error(viewer_api.get("/summary", query_string={"as_of": as_of}), 400)
    assert "as_of" in result["error"]["fields"]


# --- rate limit -------------------------------------------------------------------------------


@pytest.fixture
def limiter_state():
    saved = dict(vars(limiter))
    yield
    vars(limiter).clear()
    vars(limiter).update(saved)


def test_too_many_requests_is_429_per_token(limiter_state):
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=database_url_for_tests(),
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        API_RATELIMIT="3 per minute",
    )
    app.test_client_class = IsolatedClient
    client = app.test_client()
    user = make_user("viewer")
    token = token_for(user)
    mine = Api(client, token)
    assert [mine.get("/me").status_code for _ in range(3)] == [200, 200, 200]
    response = mine.get("/me")
    assert_error(response, 429, "rate_limited")
    assert int(response.headers["Retry-After"]) > 0
    # Another client (no token: counted by address) is not held up by this token's limit.
    assert Api(client, None).get("/me").status_code == 401
