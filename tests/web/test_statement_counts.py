"""Query discipline: every page and API GET of the URL map (the permissions walk's routes and
ids) sends as many SQL statements on a data set ten times larger as on a small one, and the
API's item writes answer without lazy reloads (their statement counts are pinned)."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.extensions import db
from app.items import services as item_services
from app.public import services as public_services
from tests.conftest import IsolatedClient
from tests.factories import SYSTEM, make_item, make_org, make_user, set_status
from tests.web.walk import CASES, build_world, item_version, log_in, url_for

# Served from files or the walk's own fixtures, not from the data: left out.
NOT_DATA = {"static"}
GETS = [(e, r) for e, r, m in CASES if m == "GET" and e not in NOT_DATA]
ROLE = "admin"  # reads every page, admin's included


@contextmanager
def counted():
    """Count the statements sent to the database inside the block."""
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def grow(world, n: int) -> None:
    """Add ``n`` items (worked on and commented, over new organisations), and ``n`` status
    updates, comments and measurements on the walked item, committed."""
    orgs = [make_org() for _ in range(max(1, n // 2))] + [world["lead"], world["other"]]
    item = world["item"]
    staff = world["users"]["staff_lead"]
    for i in range(n):
        other = make_item(lead=orgs[i % len(orgs)], supporting=[orgs[(i + 1) % len(orgs)]])
        set_status(other, ("in_progress", "blocked", "verified")[i % 3], progress=i % 100)
        item_services.add_comment(SYSTEM, other, f"Comment {i}.")
        public_services.publish_item(SYSTEM, other, f"Public summary {i}.", 0)
        item_services.change_status(
            staff, item, item.version, status="in_progress", progress=i % 100, note=f"Step {i}."
        )
        item_services.add_comment(staff, item, f"Lead's comment {i}.")
    make_user("viewer", organisation=orgs[0])
    db.session.commit()


def _get(app, world, endpoint: str, rule: str):
    client = IsolatedClient(app, app.response_class, use_cookies=True)
    headers = {"Accept-Language": "en"}
    if rule.startswith("/api/"):
        headers["Authorization"] = f"Bearer {world['tokens'][ROLE][1]}"
    else:
        log_in(client, world["users"][ROLE])
    url = url_for(app, endpoint, "GET", world, ROLE)
    with counted() as statements:
        response = client.get(url, headers=headers)
    return response.status_code, len(statements)


def _walk(app, world) -> dict[str, tuple[int, int]]:
    return {endpoint: _get(app, world, endpoint, rule) for endpoint, rule in GETS}


def test_no_page_or_api_get_sends_more_statements_with_ten_times_the_data(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_VIEW", True)  # its pages read the data too
    world = build_world(app)
    public_services.publish_item(SYSTEM, world["item"], "The walked item, published.", 0)
    grow(world, 2)
    small = _walk(app, world)
    grow(world, 18)
    large = _walk(app, world)
    # The admin reads every page (the public view switched on above): each GET succeeds, on
    # both data sets, so that every count below is a real page's.
    errors = {e: (small[e][0], st) for e, (st, _n) in large.items() if max(st, small[e][0]) >= 400}
    assert not errors, f"these GETs failed (small, large): {errors}"
    grew = {e: (small[e][1], n) for e, (_s, n) in large.items() if n > small[e][1]}
    assert not grew, f"statements grew with the data (small, large): {grew}"
    assert len(large) >= 40  # the walk's GETs, so that an empty URL map cannot pass


@pytest.fixture
def api_world(app):
    world = build_world(app)
    grow(world, 3)
    return world


def batches(statements: list[str]) -> list[str]:
    """The statements with consecutive identical INSERTs as one: PostgreSQL sends a batch of
    rows as one INSERT ... RETURNING, SQLite one per row (the watchers' notifications)."""
    return [
        s
        for k, s in enumerate(statements)
        if not (k and s.startswith("INSERT") and s == statements[k - 1])
    ]


def _chain_lock() -> int:
    return 1 if db.engine.dialect.name == "postgresql" else 0


def _api(app, world, method: str, path: str, body: dict):
    client = IsolatedClient(app, app.response_class)
    headers = {"Authorization": f"Bearer {world['tokens']['manager'][1]}"}
    with counted() as statements:
        response = client.open(path, method=method, json=body, headers=headers)
    return response, statements


# The statements of one API item write (with its savepoint, as the tests run it): the token
# with its user, the token's last use, the item with what its answer shows (five), the write,
# the chain's head and the audit events; a status update also records itself and notifies the
# item's two watchers (rows of one table written in a row count as one); PostgreSQL adds the
# chain's advisory lock. A lazy load or a reload after the write would add statements.
PATCH_STATEMENTS = 12
UPDATE_STATEMENTS = 16


def test_api_item_patch_answers_without_lazy_reloads(app, api_world):
    item_id = api_world["ids"]["item_id"]
    body = {"title": "Renamed by the count", "version": item_version(api_world)}
    response, statements = _api(app, api_world, "PATCH", f"/api/v1/items/{item_id}", body)
    assert response.status_code == 200, response.get_json()
    assert len(statements) == PATCH_STATEMENTS + _chain_lock(), "\n".join(statements)


def test_api_status_update_answers_without_lazy_reloads(app, api_world):
    item_id = api_world["ids"]["item_id"]
    body = {"status": "blocked", "note": "Counted.", "version": item_version(api_world)}
    path = f"/api/v1/items/{item_id}/updates"
    response, statements = _api(app, api_world, "POST", path, body)
    assert response.status_code == 201, response.get_json()
    assert len(batches(statements)) == UPDATE_STATEMENTS + _chain_lock(), "\n".join(statements)
