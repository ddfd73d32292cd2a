"""Fault 3: authorisation before validation, on every write of every door. A role that may
not act gets 403 (the anonymous 401, or the login page) whatever the body — empty, garbage,
of the wrong types — and so learns nothing about what a valid body would be."""

import pytest

from tests.conftest import IsolatedClient
from tests.helpers import csrf_token
from tests.web.walk import (
    CASES,
    MAY,
    ROLES,
    WRITE,
    audit_changes,
    build_world,
    classify,
    log_in,
    url_for,
)

BODIES = {
    "empty": {},
    "garbage": {"title": "x" * 5000, "version": "not a number", "status": "??", "id": "-1"},
}
JSON_BODIES = {
    "empty": {},
    "wrong types": {"title": [1], "version": "x", "lead_id": {"a": 1}, "progress": 1e308},
    "unknown fields": {"no_such_field": 1},
}
WRITES = [
    (endpoint, rule, method)
    for endpoint, rule, method in CASES
    if method in WRITE and classify(endpoint, method) in MAY
]


@pytest.fixture
def world(app):
    return build_world(app)


def _refused_roles(klass: str) -> list[str]:
    return [role for role in ROLES if role != "anonymous" and role not in MAY[klass]]


@pytest.mark.parametrize(
    ("endpoint", "rule", "method"), WRITES, ids=[f"{e}:{m}" for e, _, m in WRITES]
)
def test_a_role_that_may_not_write_is_refused_whatever_the_body(app, world, endpoint, rule, method):
    klass = classify(endpoint, method)
    api = rule.startswith("/api/")
    problems = []
    before = audit_changes()
    for role in ["anonymous", *_refused_roles(klass)]:
        for name, body in (JSON_BODIES if api else BODIES).items():
            client = IsolatedClient(app, app.response_class, use_cookies=True)
            url = url_for(app, endpoint, method, world, role)
            headers = {"Accept-Language": "en"}
            kwargs = {}
            if api:
                if role != "anonymous":
                    headers["Authorization"] = f"Bearer {world['tokens'][role][1]}"
                kwargs["json"] = body
            else:
                if role != "anonymous":
                    log_in(client, world["users"][role])
                page = "/login" if role == "anonymous" else "/no-such-page"
                kwargs["data"] = {"csrf_token": csrf_token(client, page), **body}
            response = client.open(url, method=method, headers=headers, **kwargs)
            if role == "anonymous":
                ok = (
                    response.status_code == 401
                    if api
                    else (response.status_code == 302 and "/login" in response.headers["Location"])
                )
            else:
                ok = response.status_code == 403
            if not ok:
                problems.append(f"{role}, {name} body: {response.status_code}")
    assert audit_changes() == before, "a refused write changed something"
    assert not problems, f"{method} {rule}: " + "; ".join(problems)


def test_every_api_write_declares_the_policy_its_door_asks_first(app):
    """The rule of the door: an API write without ``permits(policy)`` would validate before
    it authorises; none may exist."""
    from app.api.base import POLICY_ATTRIBUTE

    missing = [
        f"{method} {rule}"
        for endpoint, rule, method in CASES
        if rule.startswith("/api/")
        and method in WRITE
        and not hasattr(app.view_functions[endpoint], POLICY_ATTRIBUTE)
    ]
    assert not missing, "declare @permits(policy) on: " + "; ".join(missing)
