"""The permissions walk: every rule of the URL map, for every role, against SPEC's table
(tests/web/walk.py). Each (endpoint, method) is classified by endpoint name; a class says what
each role must get, and a rule no pattern classifies fails its case, so a new route cannot go
unreviewed. Requests carry a valid CSRF token (web) or the role's bearer token (API), real ids
and a valid body: a role that may act gets the one answer that request gets (200 for a read,
a redirect or the named status for a write); one that may not gets 403 (401, or the login
page, when anonymous); nobody ever gets a 500.

Roles: anonymous; a viewer of the lead organisation; staff of the lead organisation, of a
supporting one and of another one; a manager; an admin. The item is led by LEAD, supported by
SUPP.
"""

import pytest

from tests.conftest import IsolatedClient
from tests.helpers import csrf_token
from tests.web.walk import (
    ADMIN,
    CASES,
    COMMENT,
    KNOWN_DEFECTS,
    MANAGE,
    PAYLOADS,
    READ,
    REFUSED,
    ROLES,
    TO_LOGIN,
    UNAUTHENTICATED,
    UPDATE,
    Expectation,
    audit_changes,
    build_world,
    classify,
    expected,
    log_in,
    url_for,
)
from tests.web.walk_imports import MULTIPART


@pytest.fixture
def world(app):
    return build_world(app)


def _check(response, expectation: Expectation) -> str | None:
    """None when ``response`` is what ``expectation`` says, else a description."""
    status = response.status_code
    location = response.headers.get("Location", "")
    if expectation.met_by(status, location):
        return None
    return f"got {status}{' to ' + location if location else ''}, expected {expectation}"


def _check_error_shape(response, api: bool) -> str | None:
    """Refusals come in Suivi's shape: JSON errors under /api/, Suivi's error page elsewhere."""
    if api:
        body = response.get_json(silent=True) or {}
        error = body.get("error") or {}
        if not (error.get("code") and error.get("message")):
            return f"{response.status_code} without the API's error shape: {body!r:.200}"
        return None
    html = response.get_data(as_text=True)
    if "<h1>" not in html or "Suivi" not in html:
        return f"{response.status_code} without Suivi's error page"
    return None


def _request(app, world, endpoint: str, rule: str, method: str, role: str):
    client = IsolatedClient(app, app.response_class, use_cookies=True)
    api = rule.startswith("/api/")
    url = url_for(app, endpoint, method, world, role)
    headers = {"Accept-Language": "en"}
    kwargs = {}
    payload = PAYLOADS.get(endpoint, lambda w: {})(world) if method != "GET" else None
    if api:
        if role != "anonymous":
            headers["Authorization"] = f"Bearer {world['tokens'][role][1]}"
        if payload is not None and endpoint in MULTIPART:
            kwargs["data"] = payload
        elif payload is not None:
            kwargs["json"] = payload
    else:
        if role != "anonymous":
            log_in(client, world["users"][role])
        if payload is not None:
            page = "/login" if role == "anonymous" else "/no-such-page"
            kwargs["data"] = {"csrf_token": csrf_token(client, page), **payload}
    return url, client.open(url, method=method, headers=headers, **kwargs)


@pytest.mark.parametrize(
    ("endpoint", "rule", "method"), CASES, ids=[f"{e}:{m}" for e, _, m in CASES]
)
def test_walk(app, world, endpoint, rule, method):
    """Every role on one (endpoint, method); all mismatches are reported together."""
    klass = classify(endpoint, method)
    if klass is None:
        pytest.fail(
            f"no expectation for {method} {rule} ({endpoint}): classify it in RULES of {__name__}",
            pytrace=False,
        )
    api = rule.startswith("/api/")
    problems, known, fixed = [], [], []
    for role in ROLES:
        expectation = expected(endpoint, klass, role, method, api)
        before = audit_changes()
        url, response = _request(app, world, endpoint, rule, method, role)
        problem = _check(response, expectation)
        if response.status_code >= 500:
            problem = f"server error {response.status_code}"
        elif problem is None and response.status_code in (401, 403):
            problem = _check_error_shape(response, api)
        refused = expectation in (REFUSED, UNAUTHENTICATED, TO_LOGIN)
        if problem is None and (refused or method == "GET") and audit_changes() != before:
            problem = f"{method} answered {response.status_code} but changed something (audit)"
        defect = KNOWN_DEFECTS.get((endpoint, method, role))
        if problem and defect:
            known.append(f"{role}: {defect} ({problem})")
        elif problem:
            problems.append(f"{method} {url} as {role} ({klass}): {problem}")
        elif defect:
            fixed.append(f"{role}: {defect}")
    assert not problems, "\n".join(problems)
    assert not fixed, "fixed, remove from KNOWN_DEFECTS: " + "; ".join(fixed)
    if known:
        pytest.xfail("; ".join(known))


def test_every_route_is_classified():
    """All at once, so that a new route's author sees the whole list to classify."""
    missing = [
        f"{method} {rule} ({endpoint})"
        for endpoint, rule, method in CASES
        if classify(endpoint, method) is None
    ]
    assert not missing, "classify in RULES: " + "; ".join(missing)


def test_the_table_says_what_spec_says():
    """A few rows of SPEC's permissions table, read back from the walk's expectations."""

    def outcome(klass, role, method="POST", endpoint="items.post_comment", api=False):
        return str(expected(endpoint, klass, role, method, api))

    assert outcome(READ, "viewer", "GET") == "200"
    assert outcome(UPDATE, "viewer") == outcome(UPDATE, "staff_other") == "403"
    assert outcome(COMMENT, "staff_other") == "302 (not to /login)"
    assert outcome(COMMENT, "staff_other", endpoint="api-comments.post_comment", api=True) == "201"
    assert outcome(MANAGE, "staff_lead") == "403"
    assert outcome(ADMIN, "manager", "GET") == "403"
    assert outcome(READ, "anonymous", "GET") == "302 to /login"
    assert outcome(READ, "anonymous", "GET", api=True) == "401"


def test_an_api_write_must_say_what_it_answers():
    """A new API write route cannot pass the walk on any 2xx: its answer must be named."""
    with pytest.raises(KeyError):
        expected("api-items.delete_item", MANAGE, "admin", "DELETE", True)
