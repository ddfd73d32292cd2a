"""Partial indexes on the audit trail for the updates that changed an item's lead or due
date: rebuilding an item's state on a past day (reports as of a day, the weekly trend) looks
for the first such change after that day, which read and parsed every later event of the
item without them (measured at 100,000 items and 2.3 million events on SQLite: the summary
as of a year ago spent about 7 of its 9 seconds there).

Revision ID: speed0014
Revises: field0009
Create Date: 2026-11-30 14:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "speed0014"
down_revision = "field0009"
branch_labels = None
depends_on = None

# As in app/audit/models.py (INDEXED_CHANGES, change_condition) when this was written: a
# migration keeps the shape it created, whatever the models become.
CHANGES = (("items", "lead_id"), ("items", "due_date"))


def _condition(dialect, record_type, field):
    if dialect == "postgresql":
        changed = f"(changes #>> '{{{field}}}') IS NOT NULL"
    else:
        changed = f"json_extract(changes, '$.{field}') IS NOT NULL"
    return f"record_type = '{record_type}' AND action = 'update' AND {changed}"


def upgrade():
    dialect = op.get_bind().dialect.name
    for record_type, field in CHANGES:
        op.create_index(
            f"ix_audit_events_{record_type}_{field}_changes",
            "audit_events",
            ["record_id", "created_at", "id"],
            unique=False,
            sqlite_where=sa.text(_condition("sqlite", record_type, field)),
            postgresql_where=sa.text(_condition("postgresql", record_type, field)),
        )
    if dialect == "postgresql":
        op.execute("ANALYZE audit_events")


def downgrade():
    for record_type, field in CHANGES:
        op.drop_index(f"ix_audit_events_{record_type}_{field}_changes", table_name="audit_events")
