"""The database itself refuses to change or remove an audit event, whether the schema came
from the migrations or from create_all."""

import os
import tempfile

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app import create_app
from app.extensions import db
from tests.conftest import (
    database_url_for_tests,
    ensure_postgres_database,
    is_postgres,
    reset_postgres_schema,
)
from tests.factories import make_org

STATEMENTS = [
    pytest.param("UPDATE audit_events SET actor = 'forged'", id="update"),
    pytest.param("DELETE FROM audit_events", id="delete"),
]
if is_postgres():
    STATEMENTS.append(pytest.param("TRUNCATE audit_events", id="truncate"))


def _refused(connection, statement: str) -> str:
    """Run ``statement`` in a savepoint; the database's error message."""
    savepoint = connection.begin_nested()
    try:
        connection.execute(text(statement))
    except DBAPIError as exc:
        savepoint.rollback()
        return str(exc.orig)
    savepoint.rollback()
    return ""


@pytest.mark.parametrize("statement", STATEMENTS)
def test_the_database_refuses_to_rewrite_events(statement):
    make_org()
    db.session.flush()
    message = _refused(db.session.connection(), statement)
    assert "audit events are append-only" in message
    assert db.session.execute(text("SELECT count(*) FROM audit_events")).scalar() > 0


@pytest.fixture
def migrated_engine():
    if is_postgres():
        url = database_url_for_tests() + "_guard"
        ensure_postgres_database(url)
        reset_postgres_schema(url)
    else:
        url = "sqlite:///" + os.path.join(tempfile.mkdtemp(prefix="suivi-guard-"), "g.db")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        yield db.engine
        db.engine.dispose()


@pytest.mark.parametrize("statement", STATEMENTS)
def test_the_migrations_install_the_same_refusal(migrated_engine, statement):
    with migrated_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_events (created_at, actor, action, record_type, changes,"
                " prev_hash, hash) VALUES (CURRENT_TIMESTAMP, 'a', 'insert', 'x', '{}', 'p', 'h')"
            )
        )
    with migrated_engine.connect() as connection:
        connection.begin()
        assert "audit events are append-only" in _refused(connection, statement)
        assert connection.execute(text("SELECT count(*) FROM audit_events")).scalar() == 1


def test_the_downgrade_removes_the_triggers(migrated_engine):
    downgrade(revision="ecebaa82b147")
    with migrated_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_events (created_at, actor, action, record_type, changes,"
                " prev_hash, hash) VALUES (CURRENT_TIMESTAMP, 'a', 'insert', 'x', '{}', 'p', 'h')"
            )
        )
        assert connection.execute(text("DELETE FROM audit_events")).rowcount == 1
