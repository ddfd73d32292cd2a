"""The migrations build the schema the models describe, and go down and up again."""

import os
import tempfile

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

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
        # Beside the suite's own database, so that parallel runs on other databases never meet.
        url = database_url_for_tests() + "_migrations"
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


INITIAL = "479b0c23ec1e"
T0 = "2015-02-28 00:00:00"


def _counts(conn) -> dict[str, int]:
    tables = ("items", "item_themes", "item_links", "item_supporters", "status_updates")
    tables += ("indicators", "measurements")
    return {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar() for t in tables}


def _insert_item(conn, item_id: int, kind: str, status: str = "not_started") -> None:
    conn.execute(
        sa.text(
            "INSERT INTO items (id, code, kind, title, text, source_section, priority, lead_id,"
            " status, progress, version, last_update_at, created_at, updated_at)"
            " VALUES (:id, :code, :kind, 'T', '', '', 'medium', 1, :status, 0, 1, :t, :t, :t)"
        ),
        {"id": item_id, "code": f"X{item_id}", "kind": kind, "status": status, "t": T0},
    )


def test_the_opportunity_kind_migration_keeps_every_row_that_refers_to_items(migration_app):
    upgrade(revision=INITIAL)
    with db.engine.begin() as conn:
        for sql in (
            "INSERT INTO organisations (id, name, acronym, kind, description, facts, created_at,"
            " updated_at) VALUES (1, 'O', 'O', 'other', '', '{}', :t, :t)",
            "INSERT INTO organisations (id, name, acronym, kind, description, facts, created_at,"
            " updated_at) VALUES (2, 'P', 'P', 'other', '', '{}', :t, :t)",
            "INSERT INTO themes (id, code, title, description, created_at, updated_at)"
            " VALUES (1, 'T1', 'T', '', :t, :t)",
        ):
            conn.execute(sa.text(sql), {"t": T0})
        _insert_item(conn, 1, "challenge")
        _insert_item(conn, 2, "recommendation")
        for sql in (
            "INSERT INTO item_themes (item_id, theme_id) VALUES (1, 1)",
            "INSERT INTO item_links (from_id, to_id) VALUES (2, 1)",
            "INSERT INTO item_supporters (item_id, organisation_id) VALUES (2, 2)",
            "INSERT INTO status_updates (id, item_id, from_status, to_status, from_progress,"
            " progress, note, created_at) VALUES (1, 2, 'not_started', 'in_progress', 0, 10,"
            " '', :t)",
            "INSERT INTO indicators (id, code, item_id, name, unit, description, created_at,"
            " updated_at) VALUES (1, 'I1', 1, 'N', '', '', :t, :t)",
            "INSERT INTO measurements (id, indicator_id, value, measured_on, note, created_at)"
            " VALUES (1, 1, 46, '2015-02-28', '', :t)",
        ):
            conn.execute(sa.text(sql), {"t": T0})
        before = _counts(conn)
    assert set(before.values()) == {1, 2}
    assert before["items"] == 2

    upgrade()

    with db.engine.begin() as conn:
        assert _counts(conn) == before
        _insert_item(conn, 3, "opportunity")
    for kind, status in (("bogus", "not_started"), ("challenge", "bogus")):
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            _insert_item(conn, 4, kind, status)
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1

    with pytest.raises(SystemExit):  # refused while an opportunity exists; nothing undone
        downgrade(revision=INITIAL)
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() != INITIAL
        assert (
            conn.execute(sa.text("SELECT kind FROM items WHERE id = 3")).scalar() == "opportunity"
        )
    with db.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM items WHERE kind = 'opportunity'"))
    downgrade(revision=INITIAL)
    with db.engine.begin() as conn:
        assert _counts(conn) == before
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        _insert_item(conn, 3, "opportunity")
