"""Formal responses: every revision of a recommendation's response, one current per item;
a notification may tell of a response (the check on notifications.kind accepts 'response',
changed as 0002 changed items.kind: on SQLite by rebuilding the table).

Revision ID: responses0009
Revises: d4e5f6a7b804
Create Date: 2026-11-30 11:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'responses0009'
down_revision = 'd4e5f6a7b804'
branch_labels = None
depends_on = None


OLD_KINDS = ('status', 'verification', 'comment', 'evidence', 'assignment')
NEW_KINDS = (*OLD_KINDS, 'response')


def _replace_notification_kind_check(kinds):
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_notifications_kind'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_notifications_kind'), 'kind IN (' + ', '.join(f"'{k}'" for k in kinds) + ')'
        )


def upgrade():
    op.create_table('responses',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.String(length=30), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('responded_on', sa.Date(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint("position IN ('accepted', 'partially_accepted', 'noted', 'rejected')", name=op.f('ck_responses_position')),
    sa.CheckConstraint('superseded_at IS NULL OR superseded_at >= created_at', name=op.f('ck_responses_superseded_after')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_responses_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_responses_item_id_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_responses_organisation_id_organisations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_responses'))
    )
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.create_index('ix_responses_item_id_created_at', ['item_id', 'created_at'], unique=False)
        batch_op.create_index('uq_responses_current', ['item_id'], unique=True, sqlite_where=sa.text('superseded_at IS NULL'), postgresql_where=sa.text('superseded_at IS NULL'))

    _replace_notification_kind_check(NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM notifications WHERE kind = 'response'")
    _replace_notification_kind_check(OLD_KINDS)
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_index('uq_responses_current', sqlite_where=sa.text('superseded_at IS NULL'), postgresql_where=sa.text('superseded_at IS NULL'))
        batch_op.drop_index('ix_responses_item_id_created_at')

    op.drop_table('responses')
