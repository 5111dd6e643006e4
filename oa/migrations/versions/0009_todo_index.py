"""the 待办 index: open tasks by holder, in the list's order

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 05:45:00

A partial index on the open tasks, ordered as the 待办 page is (deadline, then newest first), so a page of 20 is
read from the index instead of sorting every open task of the holder.
"""
import sqlalchemy as sa
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    open_only = sa.text("status = 'open'")
    op.create_index('ix_document_tasks_todo', 'document_tasks', ['holder_id', 'due_at', sa.text('created_at DESC')],
                    postgresql_where=open_only, sqlite_where=open_only)


def downgrade() -> None:
    op.drop_index('ix_document_tasks_todo', table_name='document_tasks')
