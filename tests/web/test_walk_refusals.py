"""What the walk's routes refuse whoever asks: a web write without a valid CSRF token, an API
call with a session cookie instead of a token, an id that does not exist."""

import pytest
from werkzeug.routing import IntegerConverter

from tests.conftest import IsolatedClient
from tests.helpers import csrf_token
from tests.web.walk import (
    APP,
    CASES,
    KNOWN_DEFECTS,
    PAYLOADS,
    SIGNED_LINK,
    audit_changes,
    build_world,
    classify,
    log_in,
    url_for,
)
from tests.web.walk_imports import MULTIPART


@pytest.fixture
def world(app):
    return build_world(app)


# The one-click opt-out takes no CSRF token (RFC 8058: a mail client posts it); its signed
# link is the credential (tests/notifications/test_views.py).
WEB_WRITES = [
    case
    for case in CASES
    if case[2] != "GET"
    and not case[1].startswith("/api/")
    and classify(case[0], case[2]) != SIGNED_LINK
]


@pytest.mark.parametrize(
    ("endpoint", "rule", "method"), WEB_WRITES, ids=[f"{e}:{m}" for e, _, m in WEB_WRITES]
)
def test_web_write_without_csrf_token_is_refused_and_changes_nothing(
    app, world, endpoint, rule, method
):
    """SPEC: a state-changing request without a valid token gets 400 and changes nothing."""
    problems = []
    for role in ("anonymous", "staff_lead", "admin"):  # the check comes before any role's
        client = IsolatedClient(app, app.response_class, use_cookies=True)
        if role != "anonymous":
            log_in(client, world["users"][role])
        url = url_for(app, endpoint, method, world, role)
        before = audit_changes()
        for token in (None, "forged-token"):
            payload = PAYLOADS.get(endpoint, lambda w: {})(world)  # a file is read once
            data = payload if token is None else {**payload, "csrf_token": token}
            response = client.open(url, method=method, data=data)
            if response.status_code != 400 or audit_changes() != before:
                problems.append(
                    f"{method} {url} as {role} with csrf_token={token!r}: {response.status_code}"
                )
    assert not problems, "\n".join(problems)


API_CASES = [case for case in CASES if case[1].startswith("/api/")]


@pytest.mark.parametrize(
    ("endpoint", "rule", "method"), API_CASES, ids=[f"{e}:{m}" for e, _, m in API_CASES]
)
def test_api_ignores_the_session_cookie(app, world, endpoint, rule, method):
    """The API is exempt from CSRF because it takes no cookies: a logged-in browser's
    session must not work there (or another site could make it post)."""
    client = IsolatedClient(app, app.response_class, use_cookies=True)
    log_in(client, world["users"]["admin"])
    url = url_for(app, endpoint, method, world, "admin")
    before = audit_changes()
    kwargs = {}
    if method != "GET":
        body = PAYLOADS.get(endpoint, lambda w: {})(world)
        kwargs["data" if endpoint in MULTIPART else "json"] = body
    response = client.open(url, method=method, **kwargs)
    assert response.status_code == 401, f"{method} {url} with a session: {response.status_code}"
    assert audit_changes() == before


def _int_arguments(endpoint: str, rule: str) -> list[str]:
    url_rule = next(r for r in APP.url_map.iter_rules(endpoint) if r.rule == rule)
    return [
        name
        for name, converter in url_rule._converters.items()
        if isinstance(converter, IntegerConverter)
    ]


WITH_IDS = [case for case in CASES if _int_arguments(case[0], case[1])]


@pytest.mark.parametrize(
    ("endpoint", "rule", "method"), WITH_IDS, ids=[f"{e}:{m}" for e, _, m in WITH_IDS]
)
def test_unknown_ids_are_404_never_500(app, world, endpoint, rule, method):
    """An id that does not exist, even one too large for the database, is a 404 for the one
    role that may do everything."""
    api = rule.startswith("/api/")
    problems = []
    for missing in (999_999, 2**31, 10**20):
        client = IsolatedClient(app, app.response_class, use_cookies=True)
        values = dict.fromkeys(_int_arguments(endpoint, rule), missing)
        url_rule = next(r for r in app.url_map.iter_rules(endpoint) if r.rule == rule)
        values.update({n: world["ids"][n] for n in url_rule.arguments if n not in values})
        url = app.url_map.bind("localhost").build(endpoint, values, method=method)
        headers, kwargs = {}, {}
        payload = PAYLOADS.get(endpoint, lambda w: {})(world) if method != "GET" else None
        if api:
            headers["Authorization"] = f"Bearer {world['tokens']['admin'][1]}"
            if payload is not None:
                kwargs["json"] = payload
        else:
            log_in(client, world["users"]["admin"])
            if payload is not None:
                kwargs["data"] = {"csrf_token": csrf_token(client, "/no-such-page"), **payload}
        response = client.open(url, method=method, headers=headers, **kwargs)
        if response.status_code != 404:
            problems.append(f"{method} {url} as admin: {response.status_code}, expected 404")
    defect = KNOWN_DEFECTS.get((endpoint, method, "unknown id"))
    if problems and defect:
        pytest.xfail(defect)
    assert not defect, f"{endpoint} {method}: fixed, remove it from KNOWN_DEFECTS"
    assert not problems, "\n".join(problems)
