"""Hostile input enumerated from the URL map: every route × method × role, every query
parameter and every body field at and beyond its bounds, bodies that are not JSON or not
UTF-8. The one property: no 5xx ever, and a refusal (4xx) writes nothing. The answers are
tallied by attack class (printed at the end of the run; docs/security.md)."""

import json

import pytest

from tests.hostile import values as v
from tests.web.walk import CASES, PAYLOADS, ROLES, WRITE, url_for
from tests.web.walk_imports import MULTIPART

# Fields the walk's valid bodies leave out, so that their bounds are attacked too.
EXTRA = {
    "items.new_item": {"due_date": "2026-01-01", "owner_id": "", "text": "Text."},
    "items.edit_item": {"due_date": "2026-01-01", "owner_id": "", "text": "Text."},
    "items.new_indicator": {
        "baseline_value": "1",
        "baseline_date": "2025-01-01",
        "target_value": "2",
        "target_date": "2026-01-01",
    },
    "items.edit_indicator": {
        "baseline_value": "1",
        "baseline_date": "2025-01-01",
        "target_value": "2",
        "target_date": "2026-01-01",
    },
    "api-items.create_item": {
        "due_date": "2026-01-01",
        "supporting_ids": [],
        "theme_ids": [],
        "link_ids": [],
        "owner_id": None,
        "priority": "high",
        "text": "",
    },
    "api-items.edit_item": {"due_date": "2026-01-01", "priority": "low", "supporting_ids": []},
    "api-indicators.record_measurement": {"note": "n"},
}
QUERY = {
    "as_of": "0001-01-01",
    "since": "10000-01-01",
    "page": "2147483648",
    "per_page": "-1",
    "kind": "\x00",
    "status": "x" * 5000,
    "lead": "2147483648",
    "theme": "../..",
    "overdue": "maybe",
    "sort": "id;DROP TABLE items",
    "order": "sideways",
    "q": "%" * 2000,
}
WRITES = [(e, r, m) for e, r, m in CASES if m in WRITE and e != "auth.logout"]


def _body(world, endpoint: str) -> dict:
    return {**PAYLOADS.get(endpoint, lambda w: {})(world), **EXTRA.get(endpoint, {})}


def _is_file(value) -> bool:
    """A file to upload: a stream, or (stream, filename) as the test client takes it."""
    return hasattr(value, "read") or (isinstance(value, tuple) and hasattr(value[0], "read"))


def _send(door, url: str, method: str, attack: str, body=None, raw=None, query=None):
    api = url.startswith("/api/")
    files = isinstance(body, dict) and any(_is_file(x) for x in body.values())
    kwargs = {"query_string": query} if query else {}
    if raw is not None:
        kwargs["data"] = raw
        kwargs["content_type"] = "application/json" if api else "application/x-www-form-urlencoded"
    elif body is not None and method != "GET":  # a file goes as multipart, on the API too
        kwargs["json" if api and not files else "data"] = body
    return door.open(url, method, attack, **kwargs)


def _check(problems: list, label: str, answer) -> None:
    response, wrote = answer
    if response.status_code >= 500:
        problems.append(f"{label}: {response.status_code}")
    elif wrote and response.status_code >= 400:
        problems.append(f"{label}: refused with {response.status_code} but wrote")


@pytest.mark.parametrize(
    ("endpoint", "rule", "method"), CASES, ids=[f"{e}:{m}" for e, _, m in CASES]
)
def test_every_route_method_and_role_survives_hostile_input(
    app, world, doors, endpoint, rule, method
):
    """Each role: the valid request, hostile query parameters, and a body that is not what
    the door parses (raw bytes that are not JSON or not UTF-8)."""
    problems = []
    for index, role in enumerate(ROLES):
        url = url_for(app, endpoint, method, world, role)
        door = doors[role]
        body = _body(world, endpoint)
        _check(problems, f"{role} valid", _send(door, url, method, "valid request", body))
        body = _body(world, endpoint)  # a file in the body is read once
        answer = _send(door, url, method, "hostile query string", body, query=QUERY)
        _check(problems, f"{role} query", answer)
        if method != "GET":
            raws = v.RAW_JSON if rule.startswith("/api/") else v.RAW_FORMS
            raw = raws[index % len(raws)]
            _check(
                problems, f"{role} raw {raw[:20]!r}", _send(door, url, method, "raw body", raw=raw)
            )
    assert not problems, f"{method} {rule}: " + "; ".join(problems)


@pytest.mark.parametrize(
    ("endpoint", "rule", "method"), WRITES, ids=[f"{e}:{m}" for e, _, m in WRITES]
)
def test_every_field_of_every_write_at_and_beyond_its_bounds(
    app, world, doors, endpoint, rule, method
):
    """The admin (who may do everything, so the body is what decides): each field of the
    valid body replaced by each hostile value of its kind; for the API also by each wrong
    JSON type, and the raw texts no JSON library writes."""
    api = rule.startswith("/api/") and endpoint not in MULTIPART  # a file: form values
    door = doors["admin"]
    url = url_for(app, endpoint, method, world, "admin")
    problems = []
    fields = list(_body(world, endpoint)) or ["title", "body", "name"]
    for field in fields:
        hostile = v.values_for(field) + (v.JSON_WRONG_TYPES if api else ())
        kind = "wrong JSON type" if api else "form field"
        for value in hostile:
            body = {**_body(world, endpoint), field: value}
            attack = f"{kind}: {field}" if not isinstance(value, str) else f"bounds: {field}"
            _check(problems, f"{field}={value!r:.40}", _send(door, url, method, attack, body))
        if api:
            body = {**_body(world, endpoint), field: [_body(world, endpoint).get(field)]}
            _check(
                problems,
                f"{field} as an array",
                _send(door, url, method, "array for a scalar", body),
            )
    for raw in v.RAW_JSON if api else v.RAW_FORMS:
        _check(problems, f"raw {raw[:20]!r}", _send(door, url, method, "raw body", raw=raw))
    if api:
        for value in ([], "x", 1, None):
            raw = json.dumps(value).encode()
            _check(
                problems, f"body {value!r}", _send(door, url, method, "body not an object", raw=raw)
            )
    assert not problems, f"{method} {rule}: " + "; ".join(problems[:30])
