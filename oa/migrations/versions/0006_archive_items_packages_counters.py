"""The archive: items (件) with status, four-check report and 档号, their stored packages, and the 件号 counters.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 18:26:47.970628
"""
from alembic import op
import sqlalchemy as sa
import oa.database


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('archival_counters',
    sa.Column('fonds', sa.String(length=4), nullable=False),
    sa.Column('category', sa.String(length=4), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('retention', sa.String(length=4), nullable=False),
    sa.Column('organisation', sa.String(length=10), nullable=False),
    sa.Column('last_item', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('fonds', 'category', 'year', 'retention', 'organisation', name=op.f('pk_archival_counters'))
    )
    op.create_table('archive_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.Enum('outgoing', 'upload', name='archive_source_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('transferred', 'rejected', 'accepted', name='archive_item_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('file_number', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('doc_number', sa.String(length=40), nullable=True),
    sa.Column('responsible', sa.String(length=200), nullable=False),
    sa.Column('doc_type', sa.String(length=8), nullable=False),
    sa.Column('written_date', sa.Date(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('retention', sa.String(length=4), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('fonds', sa.String(length=4), nullable=False),
    sa.Column('organisation', sa.String(length=10), nullable=False),
    sa.Column('archival_code', sa.String(length=40), nullable=True),
    sa.Column('item_number', sa.Integer(), nullable=True),
    sa.Column('package_sha256', sa.String(length=64), nullable=False),
    sa.Column('package_size', sa.BigInteger(), nullable=False),
    sa.Column('description', sa.JSON(), nullable=False),
    sa.Column('transfer_entry', sa.JSON(), nullable=False),
    sa.Column('check_report', sa.JSON(), nullable=False),
    sa.Column('reject_reasons', sa.JSON(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('transferred_by_id', sa.Integer(), nullable=False),
    sa.Column('transferred_at', oa.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', oa.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['people.id'], name=op.f('fk_archive_items_decided_by_id_people')),
    sa.ForeignKeyConstraint(['transferred_by_id'], ['people.id'], name=op.f('fk_archive_items_transferred_by_id_people')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_archive_items_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_items')),
    sa.UniqueConstraint('archival_code', name=op.f('uq_archive_items_archival_code')),
    sa.UniqueConstraint('source_kind', 'source_id', name=op.f('uq_archive_items_source_kind_source_id'))
    )
    with op.batch_alter_table('archive_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_archive_items_doc_number'), ['doc_number'], unique=False)
        batch_op.create_index('ix_archive_items_unit_status', ['unit_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_archive_items_year'), ['year'], unique=False)

    op.create_table('archive_packages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('transferred', 'locked', 'revision', name='archive_package_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', oa.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['people.id'], name=op.f('fk_archive_packages_created_by_id_people')),
    sa.ForeignKeyConstraint(['item_id'], ['archive_items.id'], name=op.f('fk_archive_packages_item_id_archive_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_packages'))
    )
    with op.batch_alter_table('archive_packages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_archive_packages_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_archive_packages_sha256'), ['sha256'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('archive_packages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_archive_packages_sha256'))
        batch_op.drop_index(batch_op.f('ix_archive_packages_item_id'))

    op.drop_table('archive_packages')
    with op.batch_alter_table('archive_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_archive_items_year'))
        batch_op.drop_index('ix_archive_items_unit_status')
        batch_op.drop_index(batch_op.f('ix_archive_items_doc_number'))

    op.drop_table('archive_items')
    op.drop_table('archival_counters')
