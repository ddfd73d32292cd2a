"""What the digests told each user (reminders_sent), so that nothing is told twice.

Revision ID: c3d4e5f6a703
Revises: b2c3d4e5f602
Create Date: 2026-11-30 08:52:42.445098

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3d4e5f6a703'
down_revision = 'b2c3d4e5f602'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reminders_sent',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('event_key', sa.String(length=120), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('mail_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['mail_id'], ['outgoing_mails.id'], name=op.f('fk_reminders_sent_mail_id_outgoing_mails'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reminders_sent_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders_sent')),
    sa.UniqueConstraint('user_id', 'event_key', name='uq_reminders_sent_key')
    )


def downgrade():
    op.drop_table('reminders_sent')
