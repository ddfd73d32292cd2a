"""Triggers that make the database itself refuse to change or remove an audit event.

The ORM already refuses (``tracking._refuse_rewrites``); these stop raw SQL too. They guard
against mistakes and casual tampering, not against an owner of the database, who may drop
them: what such a person rewrites, the signed checkpoints (``checkpoint``) reveal.
Migration 0003 creates the same triggers; ``create_all`` (the tests) creates them through
``attach``.
"""

from sqlalchemy import Connection, Table, event, text

TABLE = "audit_events"
MESSAGE = "audit events are append-only"

_POSTGRESQL_CREATE = (
    f"""
    CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP;
    END
    $$
    """,
    f"""
    CREATE TRIGGER {TABLE}_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_append_only()
    """,
)
_POSTGRESQL_DROP = (
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_append_only()",
)
_SQLITE_CREATE = tuple(
    f"""
    CREATE TRIGGER {TABLE}_no_{verb.lower()} BEFORE {verb} ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {verb} refused'); END
    """
    for verb in ("UPDATE", "DELETE")
)
_SQLITE_DROP = tuple(f"DROP TRIGGER IF EXISTS {TABLE}_no_{verb}" for verb in ("update", "delete"))

_CREATE = {"postgresql": _POSTGRESQL_CREATE, "sqlite": _SQLITE_CREATE}
_DROP = {"postgresql": _POSTGRESQL_DROP, "sqlite": _SQLITE_DROP}


def install(connection: Connection) -> None:
    """Create the triggers (in the connection's transaction)."""
    for statement in _CREATE.get(connection.dialect.name, ()):
        connection.execute(text(statement))


def remove(connection: Connection) -> None:
    """Drop the triggers (in the connection's transaction: a restore that replaces the
    whole database puts them back before it commits)."""
    for statement in _DROP.get(connection.dialect.name, ()):
        connection.execute(text(statement))


def attach(table: Table) -> None:
    """Create the triggers whenever ``table`` is created with ``create_all``."""

    def after_create(target, connection, **_kw) -> None:
        install(connection)

    def after_drop(target, connection, **_kw) -> None:
        if connection.dialect.name == "postgresql":
            connection.execute(text(_POSTGRESQL_DROP[1]))

    event.listen(table, "after_create", after_create)
    event.listen(table, "after_drop", after_drop)
