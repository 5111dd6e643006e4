"""Rendered final copies: which stored PDF (by SHA-256) is the sealed copy of a document, its size and pages.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 18:20:22.059889
"""
from alembic import op
import sqlalchemy as sa
import oa.database


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rendered_copies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('page_count', sa.Integer(), nullable=False),
    sa.Column('rendered_at', oa.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_rendered_copies_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rendered_copies'))
    )
    with op.batch_alter_table('rendered_copies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rendered_copies_document_id'), ['document_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('rendered_copies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rendered_copies_document_id'))

    op.drop_table('rendered_copies')
