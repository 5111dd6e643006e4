"""Exchange and incoming documents: node directory, outbox and deliveries, inbox, 收文 with register, circulation
and history.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 18:08:28.546252
"""
from alembic import op
import sqlalchemy as sa
import oa.database


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('exchange_nodes',
    sa.Column('node_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('base_url', sa.String(length=500), nullable=False),
    sa.Column('units', sa.JSON(), nullable=False),
    sa.Column('jwks', sa.JSON(), nullable=False),
    sa.Column('is_local', sa.Boolean(), nullable=False),
    sa.Column('updated_at', oa.database.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('node_id', name=op.f('pk_exchange_nodes'))
    )
    op.create_table('inbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sender_node_id', sa.String(length=64), nullable=False),
    sa.Column('message_id', sa.String(length=36), nullable=False),
    sa.Column('process_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.Enum('document', 'receipt', name='inbox_message_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('kid', sa.String(length=128), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('signature', sa.Text(), nullable=False),
    sa.Column('receipt_body', sa.LargeBinary(), nullable=True),
    sa.Column('receipt_signature', sa.Text(), nullable=True),
    sa.Column('received_at', oa.database.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox_messages')),
    sa.UniqueConstraint('sender_node_id', 'message_id', name=op.f('uq_inbox_messages_sender_node_id_message_id'))
    )
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbox_messages_process_id'), ['process_id'], unique=False)

    op.create_table('incoming_counters',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_incoming_counters_unit_id_units')),
    sa.PrimaryKeyConstraint('unit_id', 'year', name=op.f('pk_incoming_counters'))
    )
    op.create_table('deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('copy_to', sa.Boolean(), nullable=False),
    sa.Column('recipient_code', sa.String(length=64), nullable=True),
    sa.Column('recipient_name', sa.String(length=100), nullable=False),
    sa.Column('status', sa.Enum('offline', 'unroutable', 'sent', 'failed', 'delivered', 'signed_for', 'returned', 'closed', name='delivery_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('process_id', sa.String(length=36), nullable=True),
    sa.Column('message_id', sa.String(length=36), nullable=True),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', oa.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', oa.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', oa.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('signed_for_at', oa.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('returned_at', oa.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', oa.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_deliveries_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliveries')),
    sa.UniqueConstraint('message_id', name=op.f('uq_deliveries_message_id')),
    sa.UniqueConstraint('process_id', name=op.f('uq_deliveries_process_id'))
    )
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_deliveries_document_id_position', ['document_id', 'position'], unique=False)

    op.create_table('incoming_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Enum('exchange', 'manual', name='incoming_source', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('inbox_message_id', sa.Integer(), nullable=True),
    sa.Column('sender_unit_code', sa.String(length=64), nullable=True),
    sa.Column('sender_name', sa.String(length=200), nullable=False),
    sa.Column('message_id', sa.String(length=36), nullable=True),
    sa.Column('process_id', sa.String(length=36), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('doc_type', sa.String(length=8), nullable=False),
    sa.Column('doc_number', sa.String(length=40), nullable=True),
    sa.Column('urgency', sa.String(length=8), nullable=True),
    sa.Column('elements', sa.JSON(), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('seal', sa.JSON(), nullable=True),
    sa.Column('state', sa.Enum('received', 'signed_for', 'registered', 'accepted', 'returned', 'circulating', 'proposed', 'instructed', 'in_progress', 'closed', name='incoming_state', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('register_year', sa.Integer(), nullable=True),
    sa.Column('register_seq', sa.Integer(), nullable=True),
    sa.Column('register_number', sa.String(length=40), nullable=True),
    sa.Column('received_at', oa.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('signed_for_at', oa.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('signed_for_by_id', sa.Integer(), nullable=True),
    sa.Column('registered_at', oa.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('return_reasons', sa.JSON(), nullable=False),
    sa.Column('proposal', sa.Text(), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=True),
    sa.Column('instruction', sa.Text(), nullable=False),
    sa.Column('lead_office_id', sa.Integer(), nullable=True),
    sa.Column('helper_office_ids', sa.JSON(), nullable=False),
    sa.Column('deadline', oa.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminded_before_at', oa.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminded_overdue_at', oa.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reply_document_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', oa.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', oa.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['inbox_message_id'], ['inbox_messages.id'], name=op.f('fk_incoming_documents_inbox_message_id_inbox_messages')),
    sa.ForeignKeyConstraint(['lead_office_id'], ['offices.id'], name=op.f('fk_incoming_documents_lead_office_id_offices')),
    sa.ForeignKeyConstraint(['leader_id'], ['people.id'], name=op.f('fk_incoming_documents_leader_id_people')),
    sa.ForeignKeyConstraint(['reply_document_id'], ['documents.id'], name=op.f('fk_incoming_documents_reply_document_id_documents')),
    sa.ForeignKeyConstraint(['signed_for_by_id'], ['people.id'], name=op.f('fk_incoming_documents_signed_for_by_id_people')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_incoming_documents_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incoming_documents')),
    sa.UniqueConstraint('inbox_message_id', name=op.f('uq_incoming_documents_inbox_message_id')),
    sa.UniqueConstraint('unit_id', 'register_year', 'register_seq', name=op.f('uq_incoming_documents_unit_id_register_year_register_seq'))
    )
    with op.batch_alter_table('incoming_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incoming_documents_deadline'), ['deadline'], unique=False)
        batch_op.create_index('ix_incoming_documents_unit_id_state', ['unit_id', 'state'], unique=False)

    op.create_table('incoming_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incoming_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('from_state', sa.String(length=32), nullable=False),
    sa.Column('to_state', sa.String(length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('at', oa.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['people.id'], name=op.f('fk_incoming_actions_actor_id_people')),
    sa.ForeignKeyConstraint(['incoming_id'], ['incoming_documents.id'], name=op.f('fk_incoming_actions_incoming_id_incoming_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incoming_actions'))
    )
    with op.batch_alter_table('incoming_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incoming_actions_incoming_id'), ['incoming_id'], unique=False)

    op.create_table('incoming_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incoming_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['incoming_id'], ['incoming_documents.id'], name=op.f('fk_incoming_attachments_incoming_id_incoming_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incoming_attachments')),
    sa.UniqueConstraint('incoming_id', 'position', name=op.f('uq_incoming_attachments_incoming_id_position'))
    )
    op.create_table('incoming_readers',
    sa.Column('incoming_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=False),
    sa.Column('sent_at', oa.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', oa.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['incoming_id'], ['incoming_documents.id'], name=op.f('fk_incoming_readers_incoming_id_incoming_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_incoming_readers_person_id_people')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['people.id'], name=op.f('fk_incoming_readers_sent_by_id_people')),
    sa.PrimaryKeyConstraint('incoming_id', 'person_id', name=op.f('pk_incoming_readers'))
    )
    with op.batch_alter_table('incoming_readers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incoming_readers_person_id'), ['person_id'], unique=False)

    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.String(length=36), nullable=False),
    sa.Column('process_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.Enum('document', 'receipt', name='outbox_message_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('sender_unit', sa.String(length=64), nullable=False),
    sa.Column('recipient_unit', sa.String(length=64), nullable=False),
    sa.Column('target_node_id', sa.String(length=64), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('signature', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'done', 'failed', name='outbox_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', oa.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_until', oa.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('answer', sa.JSON(), nullable=False),
    sa.Column('created_at', oa.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('done_at', oa.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['delivery_id'], ['deliveries.id'], name=op.f('fk_outbox_messages_delivery_id_deliveries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages')),
    sa.UniqueConstraint('message_id', name=op.f('uq_outbox_messages_message_id'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_messages_delivery_id'), ['delivery_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_process_id'), ['process_id'], unique=False)
        batch_op.create_index('ix_outbox_messages_status_next_attempt_at', ['status', 'next_attempt_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_status_next_attempt_at')
        batch_op.drop_index(batch_op.f('ix_outbox_messages_process_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_messages_delivery_id'))

    op.drop_table('outbox_messages')
    with op.batch_alter_table('incoming_readers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incoming_readers_person_id'))

    op.drop_table('incoming_readers')
    op.drop_table('incoming_attachments')
    with op.batch_alter_table('incoming_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incoming_actions_incoming_id'))

    op.drop_table('incoming_actions')
    with op.batch_alter_table('incoming_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_incoming_documents_unit_id_state')
        batch_op.drop_index(batch_op.f('ix_incoming_documents_deadline'))

    op.drop_table('incoming_documents')
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_deliveries_document_id_position')

    op.drop_table('deliveries')
    op.drop_table('incoming_counters')
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbox_messages_process_id'))

    op.drop_table('inbox_messages')
    op.drop_table('exchange_nodes')
