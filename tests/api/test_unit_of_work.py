"""One commit per API request: the work and the token's last use together, or — when the
request is refused — the token's use alone; and what a write answers is loaded at once."""

from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event, func, select

from app.auth.models import ApiToken
from app.core.time import utcnow
from app.extensions import db
from app.items import services as item_services
from app.items.models import Item, StatusUpdate
from tests.api.conftest import Api, assert_error, token_for
from tests.conftest import is_postgres
from tests.factories import SYSTEM, make_item, make_org, make_user


@contextmanager
def counted():
    """The SQL statements sent inside the block. The tests' requests run in a savepoint of
    the test's transaction: SAVEPOINT stands for BEGIN, RELEASE SAVEPOINT for COMMIT."""
    statements: list[str] = []

    def listener(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def _commits(statements: list[str]) -> int:
    return sum(s.startswith("RELEASE SAVEPOINT") for s in statements)


def _token(user) -> ApiToken:
    db.session.expire_all()
    return db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).one()


def _world():
    lead, other = make_org(), make_org()
    staff = make_user("staff", lead)
    theme = item_services.create_theme(SYSTEM, code="uow", title="Theme")
    challenge = make_item(lead=lead, kind="challenge")
    item = make_item(lead=lead, supporting=[other], themes=[theme], owner=staff, links=[challenge])
    return staff, item


def test_a_status_update_is_one_commit_of_fourteen_statements(client):
    """Token (with its user), the item with what the answer shows (item with lead and owner;
    supporting, themes and the links both ways), the update with its two audit events and
    the chain's head, the item's watchers (none here but the actor: nobody to notify); no
    statement after the write (was 23 with two commits)."""
    staff, item = _world()
    api = Api(client, token_for(staff))
    assert api.get("/me").status_code == 200  # the token's use is fresh: no write for it
    with counted() as statements:
        response = api.post(
            f"/items/{item.id}/updates",
            json={"status": "in_progress", "progress": 10, "note": "Started", "version": 1},
        )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["status"], body["progress"], body["version"]) == ("in_progress", 10, 2)
    assert [o["id"] for o in body["supporting"]]
    assert body["owner"]["id"] == staff.id
    assert len(body["links"]) == 1
    assert body["themes"][0]["code"] == "uow"
    lock = 1 if is_postgres() else 0  # the chain's advisory lock
    assert len(statements) == 14 + lock, "\n".join(s[:100] for s in statements)
    assert _commits(statements) == 1
    writes = [s.split()[0] for s in statements if s.split()[0] in ("INSERT", "UPDATE")]
    assert writes == ["UPDATE", "INSERT", "INSERT", "INSERT"]
    assert statements[-3].startswith("INSERT INTO audit_events")
    assert statements[-2].startswith("SELECT users.")  # the watchers; nothing read after


def test_the_first_use_of_a_token_is_written_in_the_requests_commit(client):
    staff, item = _world()
    api = Api(client, token_for(staff))
    with counted() as statements:
        response = api.post(
            f"/items/{item.id}/updates",
            json={"status": "in_progress", "progress": 10, "note": "Started", "version": 1},
        )
    assert response.status_code == 201
    assert _commits(statements) == 1
    assert sum(s.startswith("UPDATE api_tokens") for s in statements) == 1
    assert _token(staff).last_used_at is not None


def test_a_tokens_use_is_written_at_most_every_five_minutes(client):
    staff = make_user("staff")
    api = Api(client, token_for(staff))
    with counted() as first:
        assert api.get("/me").status_code == 200
    assert sum(s.startswith("UPDATE api_tokens") for s in first) == 1
    with counted() as second:
        assert api.get("/me").status_code == 200
    assert not any(s.startswith("UPDATE") for s in second)
    token = _token(staff)
    token.last_used_at = utcnow() - timedelta(minutes=6)
    db.session.flush()
    with counted() as later:
        assert api.get("/me").status_code == 200
    assert sum(s.startswith("UPDATE api_tokens") for s in later) == 1
    assert utcnow() - _token(staff).last_used_at.replace(tzinfo=utcnow().tzinfo) < timedelta(
        minutes=1
    )


def test_a_refused_request_keeps_the_tokens_use_and_nothing_else(client):
    staff, item = _world()
    api = Api(client, token_for(staff))
    before = db.session.scalar(select(func.count()).select_from(StatusUpdate))
    with counted() as statements:
        response = api.post(
            f"/items/{item.id}/updates",
            json={"status": "in_progress", "progress": 10, "note": "Stale", "version": 7},
        )
    assert_error(response, 409, "conflict")
    # The request's transaction is rolled back; then the token's use is committed alone.
    rollback = max(i for i, s in enumerate(statements) if s.startswith("ROLLBACK TO SAVEPOINT"))
    committed = statements[rollback + 1 :]
    assert _commits(statements) == 1
    assert committed[-1].startswith("RELEASE SAVEPOINT")
    writes = [s for s in committed if s.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert [w.split()[:2] for w in writes] == [["UPDATE", "api_tokens"]]
    db.session.expire_all()
    assert db.session.get(Item, item.id).version == 1
    assert db.session.scalar(select(func.count()).select_from(StatusUpdate)) == before
    assert _token(staff).last_used_at is not None


def test_a_refused_request_with_a_fresh_token_writes_nothing(client):
    staff, item = _world()
    api = Api(client, token_for(staff))
    assert api.get("/me").status_code == 200
    with counted() as statements:
        response = api.post(f"/items/{item.id}/updates", json={"status": "in_progress"})
    assert_error(response, 422)
    assert _commits(statements) == 0
    assert not any(s.startswith(("INSERT", "UPDATE")) for s in statements)


def test_an_unknown_token_writes_nothing(client):
    with counted() as statements:
        assert_error(Api(client, "suivi_unknown").get("/me"), 401)
    assert not any(s.startswith(("INSERT", "UPDATE")) for s in statements)
    assert _commits(statements) == 0


def test_a_written_item_answers_as_get_shows_it(client):
    lead = make_org("ZZZ")
    manager = make_user("manager", lead)
    b, a = make_org("BBX"), make_org("AAX")
    theme_b = item_services.create_theme(SYSTEM, code="t-b", title="B")
    theme_a = item_services.create_theme(SYSTEM, code="t-a", title="A")
    api = Api(client, token_for(manager))
    created = api.post(
        "/items",
        json={
            "kind": "action",
            "title": "Ordered",
            "lead_id": lead.id,
            "supporting_ids": [b.id, a.id],
            "theme_ids": [theme_b.id, theme_a.id],
        },
    )
    assert created.status_code == 201
    item_id = created.get_json()["id"]
    shown = api.get(f"/items/{item_id}").get_json()
    assert created.get_json() == shown
    assert [o["acronym"] for o in shown["supporting"]] == ["AAX", "BBX"]
    patched = api.patch(
        f"/items/{item_id}", json={"version": shown["version"], "supporting_ids": [b.id, lead.id]}
    )
    assert patched.status_code == 422  # the lead cannot also support
    patched = api.patch(
        f"/items/{item_id}",
        json={"version": shown["version"], "supporting_ids": [b.id, a.id], "title": "Renamed"},
    )
    assert patched.status_code == 200
    assert patched.get_json() == api.get(f"/items/{item_id}").get_json()
