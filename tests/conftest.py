"""Test fixtures: one app and schema per run, a rolled-back transaction per test.

The database is SQLite (a temporary file) unless ``TEST_DATABASE_URL`` points elsewhere,
e.g. ``postgresql://postgres@127.0.0.1:5432/suivi_test`` — the database is created if it
does not exist and emptied at the start of the run.

Each test runs inside one connection-level transaction that is rolled back at the end; the
code under test may commit freely (its commits release savepoints). The test and each request
made through the test client get their own session on that connection, so objects a test made
stay usable after a request; call ``db.session.expire_all()`` to see what a request changed.
"""

import contextvars
import os
import tempfile

import pytest
from flask.testing import FlaskClient
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from app import create_app
from app.extensions import db
from config import database_url

_TMP = tempfile.mkdtemp(prefix="suivi-tests-")


def database_url_for_tests() -> str:
    """The database the suite runs against."""
    return (
        database_url(os.environ.get("TEST_DATABASE_URL"))
        or f"sqlite:///{os.path.join(_TMP, 'suivi.db')}"
    )


def is_postgres() -> bool:
    return database_url_for_tests().startswith("postgresql")


def ensure_postgres_database(url: str) -> None:
    """Create the PostgreSQL database named in ``url`` when it is missing."""
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}
        ).scalar()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def reset_postgres_schema(url: str) -> None:
    """Empty a PostgreSQL database completely (tables, sequences, alembic_version)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def app():
    url = database_url_for_tests()
    if url.startswith("postgresql"):
        ensure_postgres_database(url)
        reset_postgres_schema(url)
    application = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=url,
        UPLOAD_FOLDER=os.path.join(_TMP, "evidence"),
        IMPORT_FOLDER=os.path.join(_TMP, "imports"),
        AUDIT_CHECKPOINT_FILE=os.path.join(_TMP, "audit-checkpoints.jsonl"),
    )
    with application.app_context():
        db.create_all()
    return application


@pytest.fixture(autouse=True)
def _transaction(app):
    """Run the test in a transaction rolled back afterwards."""
    ctx = app.app_context()
    ctx.push()
    connection = db.engine.connect()
    outer = connection.begin()
    factory = sessionmaker(
        bind=connection, class_=Session, join_transaction_mode="create_savepoint"
    )
    original = db.session
    db.session = scoped_session(factory, scopefunc=_app_ctx_id)
    try:
        yield
    finally:
        db.session.remove()
        db.session = original
        outer.rollback()
        connection.close()
        ctx.pop()


class IsolatedClient(FlaskClient):
    """A test client whose requests run as in production: in their own app context (own
    ``g``, own database session on the test's connection), not in the test's."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def cli(app):
    return app.test_cli_runner()
