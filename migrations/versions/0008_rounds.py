"""Reporting rounds: the round, the items in its scope, and the report frozen when it closes.

Revision ID: d4e5f6a7b804
Revises: c3d4e5f6a703
Create Date: 2026-11-30 08:58:20.249477

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4e5f6a7b804'
down_revision = 'c3d4e5f6a703'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rounds',
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('opens_on <= due_on', name=op.f('ck_rounds_dates')),
    sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_rounds_window')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_rounds_closed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_rounds_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rounds'))
    )
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rounds_due_on'), ['due_on'], unique=False)

    op.create_table('round_items',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_round_items_item_id_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['lead_id'], ['organisations.id'], name=op.f('fk_round_items_lead_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_items_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'item_id', name=op.f('pk_round_items'))
    )
    with op.batch_alter_table('round_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_items_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_round_items_lead_id'), ['lead_id'], unique=False)

    op.create_table('round_reports',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('format', sa.String(length=10), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint("format IN ('json', 'csv', 'xlsx', 'pdf')", name=op.f('ck_round_reports_format')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_reports_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_reports')),
    sa.UniqueConstraint('round_id', 'format', name='uq_round_reports_format')
    )


def downgrade():
    op.drop_table('round_reports')
    with op.batch_alter_table('round_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_items_lead_id'))
        batch_op.drop_index(batch_op.f('ix_round_items_item_id'))

    op.drop_table('round_items')
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rounds_due_on'))

    op.drop_table('rounds')
