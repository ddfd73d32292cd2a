"""A SQLite writer that waits longer than the busy timeout gets a 503 with nothing written,
never a 500; a reader is not held up at all."""

import sqlite3

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from app import create_app
from app.core.sqlite import take_write_lock
from app.extensions import db
from tests.durability.servers import database_url, prepare


@pytest.fixture
def locked():
    """An app on a SQLite file whose write lock another connection holds."""
    prepared = prepare(database_url("sqlite", "busy"), items=1, tokens=1)
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=prepared.url,
        UPLOAD_FOLDER=prepared.upload_folder,
        SQLITE_BUSY_TIMEOUT_MS=200,
    )
    other = sqlite3.connect(make_url(prepared.url).database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    yield app, prepared
    other.execute("ROLLBACK")
    other.close()
    with app.app_context():
        db.engine.dispose()


def test_a_writer_past_the_busy_timeout_gets_a_503_and_a_reader_its_answer(locked):
    app, prepared = locked
    headers = {"Authorization": f"Bearer {prepared.tokens[0]}"}
    item_id = prepared.item_ids[0]
    client = app.test_client()
    write = client.post(
        f"/api/v1/items/{item_id}/updates",
        json={"status": "in_progress", "progress": 40, "note": "late", "version": 2},
        headers=headers,
    )
    assert write.status_code == 503
    assert write.get_json()["error"]["code"] == "unavailable"
    assert client.get("/healthz").status_code == 200


def test_a_transaction_restarted_for_writing_past_the_timeout_raises_sqlalchemys_error(locked):
    """The error the web's handlers turn into a 503, not sqlite3's own (a 500)."""
    app, _prepared = locked
    with app.app_context(), db.engine.connect() as connection:
        connection.begin()
        connection.execute(select(1))
        with pytest.raises(OperationalError, match="database is locked"):
            take_write_lock(connection)
