"""The migrations build the schema the models describe, and go down and up again."""

import os
import tempfile

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app import create_app
from app.extensions import db
from tests.conftest import (
    database_url_for_tests,
    ensure_postgres_database,
    is_postgres,
    reset_postgres_schema,
)


def _urls():
    urls = [pytest.param(None, id="sqlite")]
    if is_postgres():
        urls.append(pytest.param("postgres", id="postgresql"))
    return urls


@pytest.fixture(params=_urls())
def migration_app(request):
    if request.param is None:
        path = os.path.join(tempfile.mkdtemp(prefix="suivi-migrations-"), "m.db")
        url = f"sqlite:///{path}"
    else:
        url = database_url_for_tests().rsplit("/", 1)[0] + "/suivi_test_migrations"
        ensure_postgres_database(url)
        reset_postgres_schema(url)
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        yield app
        db.engine.dispose()


def _diff():
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_models_and_migrations_agree(migration_app):
    upgrade()
    assert _diff() == []


def test_upgrade_downgrade_upgrade(migration_app):
    upgrade()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert "items" in inspect(db.engine).get_table_names()
    assert _diff() == []
