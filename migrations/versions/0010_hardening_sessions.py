"""Revocable sessions: users.session_epoch, carried in each session cookie and compared by
the user loader; logout, an admin's "end all sessions" raise it.

Revision ID: hardening0009
Revises: responses0009
Create Date: 2026-11-30 11:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "hardening0009"
down_revision = 'responses0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_epoch", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_epoch")
