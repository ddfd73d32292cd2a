"""The URL map itself: every record id in a route goes through the bounded ``id`` converter
(a 404 before any query for an id no record can have), and a method a route does not take is
a 405 that says which it takes, never a 500."""

import re

import pytest
from sqlalchemy import event
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

from app.core.records import MAX_ID, IdConverter, find, get_or_404, whole_numbers_up_to
from app.extensions import db
from app.items.models import Item
from tests.factories import make_item, make_user
from tests.helpers import login

HUGE = (0, MAX_ID + 1, 2**63, 10**20)


def _rules_with_numbers(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if any(isinstance(c, IntegerConverter) for c in rule._converters.values())
    ]


def test_every_number_in_a_route_is_a_bounded_id(app):
    rules = _rules_with_numbers(app)
    assert len(rules) >= 20  # items, comments, evidence, indicators, users, tokens, the API
    loose = [
        f"{rule.rule} <{name}>"
        for rule in rules
        for name, converter in rule._converters.items()
        if isinstance(converter, IntegerConverter) and not isinstance(converter, IdConverter)
    ]
    assert not loose, "use <id:...> for record ids: " + ", ".join(loose)


def test_ids_out_of_range_match_no_route(app):
    """0, 2**31 and beyond are a 404 from the router, for every route with an id; the
    smallest and largest real ids match."""
    adapter = app.url_map.bind("localhost")
    problems = []
    for rule in _rules_with_numbers(app):
        method = sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        for good in (1, MAX_ID):
            path = rule.rule
            for name in rule.arguments:
                path = path.replace(f"<id:{name}>", str(good))
            if adapter.match(path, method)[0] != rule.endpoint:
                problems.append(f"{path} does not match {rule.endpoint}")
        for bad in HUGE:
            path = rule.rule
            for name in rule.arguments:
                path = path.replace(f"<id:{name}>", str(bad))
            try:
                endpoint, _args = adapter.match(path, method)
            except NotFound:
                continue
            problems.append(f"{method} {path} matched {endpoint}")
    assert not problems, "\n".join(problems)


def test_a_huge_id_is_answered_without_looking_for_the_record(client):
    """The 404 of /items/99999999999 costs what any unknown page costs: no item query."""
    login(client, make_user("admin"))
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = client.get("/items/99999999999")
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert response.status_code == 404
    assert not [s for s in statements if "FROM items" in s], statements


def test_find_and_get_or_404_take_only_real_ids(app):
    item = make_item()
    assert find(Item, item.id) is item
    for bad in (0, -1, MAX_ID + 1, True, "1", None, 1.0):
        assert find(Item, bad) is None, bad
    with app.test_request_context(), pytest.raises(NotFound):
        get_or_404(Item, MAX_ID + 1)


def test_a_method_a_page_does_not_take_is_a_405_with_allow(client):
    """Every web route (the API has its own shape): Suivi's page and the Allow header."""
    problems = []
    for rule in client.application.url_map.iter_rules():
        if rule.rule.startswith(("/api/", "/static/")):
            continue
        method = next(m for m in ("PUT", "PATCH", "DELETE") if m not in rule.methods)
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<id:{name}>", "1")
        response = client.open(path, method=method, headers={"Accept-Language": "en"})
        allowed = set(response.headers.get("Allow", "").split(", "))
        if response.status_code != 405 or not allowed >= (rule.methods - {"OPTIONS"}):
            problems.append(f"{method} {path}: {response.status_code} {allowed}")
        elif "<h1>" not in response.get_data(as_text=True):
            problems.append(f"{method} {path}: 405 without Suivi's page")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("limit", [1, 7, 9, 10, 19, 100, 205, 1000, MAX_ID])
def test_the_id_pattern_takes_exactly_one_to_the_limit(limit):
    pattern = re.compile(whole_numbers_up_to(limit) + r"\Z")
    numbers = [*range(0, 2100), limit - 1, limit, limit + 1, 10 * limit, 2**63]
    wrong = [n for n in numbers if bool(pattern.match(str(n))) != (1 <= n <= limit)]
    assert not wrong
    assert pattern.match("0001")
    assert not pattern.match("-1")
    assert not pattern.match("1.0")
