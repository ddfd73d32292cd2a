"""The database refuses to change or remove audit events: triggers on audit_events.

PostgreSQL: one statement-level trigger refuses UPDATE, DELETE and TRUNCATE. SQLite: two
triggers RAISE(ABORT) on UPDATE and DELETE (SQLite has no TRUNCATE; DROP TABLE removes
triggers before its implicit delete, so a downgrade still works). Written out here rather than
imported from app/audit/guard.py, so that this revision never changes; the tests check that
both create the same triggers.

A later batch migration on SQLite that rebuilds audit_events (copy, drop, rename) loses these
triggers and must create them again.

Revision ID: 5c0f3a9e7b21
Revises: ecebaa82b147
Create Date: 2026-12-01 09:00:00
"""
from alembic import op


revision = "5c0f3a9e7b21"
down_revision = "ecebaa82b147"
branch_labels = None
depends_on = None

MESSAGE = "audit events are append-only"


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(
            f"""
            CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP;
            END
            $$
            """
        )
        op.execute(
            """
            CREATE TRIGGER audit_events_append_only
            BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
            FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()
            """
        )
    elif dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"""
                CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events
                BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {verb} refused'); END
                """
            )


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
