"""Mail and notifications: outgoing mails as sent, watches, delivery choices, notifications.

Revision ID: b2c3d4e5f602
Revises: a1b2c3d4e501
Create Date: 2026-11-30 08:46:42.894439

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2c3d4e5f602'
down_revision = 'a1b2c3d4e501'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('delivery_choices',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('delivery', sa.String(length=10), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("delivery IN ('immediate', 'daily', 'weekly', 'none')", name=op.f('ck_delivery_choices_delivery')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_delivery_choices_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_delivery_choices'))
    )
    op.create_table('outgoing_mails',
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('to_address', sa.String(length=320), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('text_body', sa.Text(), nullable=False),
    sa.Column('html_body', sa.Text(), nullable=False),
    sa.Column('headers', sa.JSON(), nullable=False),
    sa.Column('message_id', sa.String(length=250), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('notification', 'digest', 'reply')", name=op.f('ck_outgoing_mails_kind')),
    sa.CheckConstraint("state IN ('queued', 'sent', 'failed')", name=op.f('ck_outgoing_mails_state')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_outgoing_mails_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_mails')),
    sa.UniqueConstraint('message_id', name=op.f('uq_outgoing_mails_message_id'))
    )
    with op.batch_alter_table('outgoing_mails', schema=None) as batch_op:
        batch_op.create_index('ix_outgoing_mails_user_id_created_at', ['user_id', 'created_at'], unique=False)

    op.create_table('notifications',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('mail_id', sa.Integer(), nullable=True),
    sa.Column('digested_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('status', 'verification', 'comment', 'evidence', 'assignment')", name=op.f('ck_notifications_kind')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_notifications_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_notifications_item_id_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mail_id'], ['outgoing_mails.id'], name=op.f('fk_notifications_mail_id_outgoing_mails'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_item_id'), ['item_id'], unique=False)
        batch_op.create_index('ix_notifications_user_id_created_at', ['user_id', 'created_at'], unique=False)

    op.create_table('watches',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('is_watching', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_watches_item_id_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_watches_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watches')),
    sa.UniqueConstraint('user_id', 'item_id', name='uq_watches_user_item')
    )
    with op.batch_alter_table('watches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_watches_item_id'), ['item_id'], unique=False)



def downgrade():
    with op.batch_alter_table('watches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_watches_item_id'))

    op.drop_table('watches')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_id_created_at')
        batch_op.drop_index(batch_op.f('ix_notifications_item_id'))

    op.drop_table('notifications')
    with op.batch_alter_table('outgoing_mails', schema=None) as batch_op:
        batch_op.drop_index('ix_outgoing_mails_user_id_created_at')

    op.drop_table('outgoing_mails')
    op.drop_table('delivery_choices')
