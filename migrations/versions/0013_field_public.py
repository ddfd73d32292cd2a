"""The public view: an item's publication and public summary.

Revision ID: field0009
Revises: perf0009
Create Date: 2026-11-30 11:10:08.106836

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "field0009"
down_revision = 'perf0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('publications',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('is_published', sa.Boolean(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_publications_item_id_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_publications_published_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publications')),
    sa.UniqueConstraint('item_id', name=op.f('uq_publications_item_id'))
    )
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publications_is_published'), ['is_published'], unique=False)



def downgrade():
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publications_is_published'))

    op.drop_table('publications')
