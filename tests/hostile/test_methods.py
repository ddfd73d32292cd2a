"""Fault 1: every route answers a method it does not serve with 405 and an ``Allow`` header,
in Suivi's error shape (JSON under /api/, the error page elsewhere), for the anonymous and the
logged in alike — enumerated from the URL map."""

import pytest

from tests.conftest import IsolatedClient
from tests.web.walk import APP, build_world, log_in, url_for

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _paths():
    """Each rule's path once (the first endpoint serving it builds it)."""
    seen, cases = set(), []
    for rule in sorted(APP.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.rule not in seen and rule.endpoint != "static":
            seen.add(rule.rule)
            cases.append((rule.endpoint, rule.rule))
    return cases


PATHS = _paths()


@pytest.fixture
def world(app):
    return build_world(app)


@pytest.mark.parametrize(("endpoint", "rule"), PATHS, ids=[r for _, r in PATHS])
def test_every_wrong_method_answers_405_with_allow(app, world, endpoint, rule):
    method = sorted(next(app.url_map.iter_rules(endpoint)).methods - {"HEAD", "OPTIONS"})[0]
    url = url_for(app, endpoint, method, world, "admin")
    allowed = set(app.url_map.bind("localhost").allowed_methods(url))
    wrong = [m for m in METHODS if m not in allowed]
    problems = []
    for role in ("anonymous", "admin"):
        for verb in wrong:
            client = IsolatedClient(app, app.response_class, use_cookies=True)
            headers = {"Accept-Language": "en"}
            if role == "admin" and rule.startswith("/api/"):
                headers["Authorization"] = f"Bearer {world['tokens']['admin'][1]}"
            elif role == "admin":
                log_in(client, world["users"]["admin"])
            response = client.open(url, method=verb, headers=headers)
            allow = set(filter(None, response.headers.get("Allow", "").replace(" ", "").split(",")))
            if response.status_code != 405 or allow != allowed:
                problems.append(f"{verb} as {role}: {response.status_code}, Allow {allow}")
            elif rule.startswith("/api/"):
                error = (response.get_json(silent=True) or {}).get("error") or {}
                if error.get("code") != "method_not_allowed":
                    problems.append(f"{verb} as {role}: not the API's error shape")
            elif "<h1>" not in response.get_data(as_text=True):
                problems.append(f"{verb} as {role}: not Suivi's error page")
    assert not problems, f"{url} (allows {sorted(allowed)}): " + "; ".join(problems)
