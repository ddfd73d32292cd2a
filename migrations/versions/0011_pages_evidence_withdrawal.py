"""Evidence withdrawn by mistake stays in the history: when, by whom and why.

Revision ID: pages0009
Revises: hardening0009
Create Date: 2026-11-30 11:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'pages0009'
down_revision = 'hardening0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('withdrawn_reason', sa.Text(), server_default='', nullable=False)
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_evidence_withdrawn_by_id_users'), 'users', ['withdrawn_by_id'], ['id'],
            ondelete='SET NULL',
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_evidence_withdrawn_reason'),
            "withdrawn_at IS NULL OR withdrawn_reason <> ''",
        )


def downgrade():
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_evidence_withdrawn_reason'), type_='check')
        batch_op.drop_constraint(
            batch_op.f('fk_evidence_withdrawn_by_id_users'), type_='foreignkey'
        )
        batch_op.drop_column('withdrawn_reason')
        batch_op.drop_column('withdrawn_by_id')
        batch_op.drop_column('withdrawn_at')
