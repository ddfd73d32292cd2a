"""Items may be opportunities: the check constraint on items.kind accepts 'opportunity'.

A policy brief names opportunities beside its challenges and recommendations (NUPI Policy
Brief 19 · 2015: "The mission's main opportunities lie in ..."); see docs/decisions.md.

On SQLite the constraint can only change by rebuilding the table (Alembic's batch "move and
copy"); migrations/env.py turns foreign-key enforcement off around the migrations, so dropping
the old table does not cascade to the rows that refer to it.

Revision ID: ecebaa82b147
Revises: 479b0c23ec1e
Create Date: 2026-11-30 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "ecebaa82b147"
down_revision = "479b0c23ec1e"
branch_labels = None
depends_on = None

OLD_KINDS = ("challenge", "recommendation", "action")
NEW_KINDS = (*OLD_KINDS, "opportunity")


def _kind_in(kinds: tuple[str, ...]) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def _replace_kind_check(kinds: tuple[str, ...]) -> None:
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_items_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_items_kind"), _kind_in(kinds))


def upgrade():
    _replace_kind_check(NEW_KINDS)


def downgrade():
    count = op.get_bind().scalar(sa.text("SELECT count(*) FROM items WHERE kind = 'opportunity'"))
    if count:
        raise RuntimeError(
            f"{count} items are opportunities, which the older schema cannot hold: change their "
            "kind or delete them before downgrading."
        )
    _replace_kind_check(OLD_KINDS)
