"""archive items from incoming documents: source_kind 'incoming'

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 19:40:00

The kind is a string column with a CHECK constraint (`str_enum`), which Alembic's autogenerate does not compare:
this revision is written by hand. The constraint is dropped and created again with the new value; on SQLite the
batch mode rebuilds the table, on PostgreSQL it is two ALTER TABLE statements.
"""
import sqlalchemy as sa
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

CONSTRAINT = 'archive_source_kind'  # ck_archive_items_archive_source_kind under the naming convention


def _kinds(*kinds: str) -> str:
    return "source_kind IN (" + ", ".join(f"'{kind}'" for kind in kinds) + ")"


def upgrade() -> None:
    with op.batch_alter_table('archive_items', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_archive_items_archive_source_kind'), type_='check')
        batch_op.create_check_constraint(CONSTRAINT, _kinds('outgoing', 'incoming', 'upload'))


def downgrade() -> None:
    # Archived 收文 are records under keeping: never deleted by a schema downgrade.
    kept = op.get_bind().execute(sa.text("SELECT COUNT(*) FROM archive_items WHERE source_kind = 'incoming'"))
    if kept.scalar_one():
        raise RuntimeError("archive_items holds archived incoming documents: downgrade below 0008 refused")
    with op.batch_alter_table('archive_items', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_archive_items_archive_source_kind'), type_='check')
        batch_op.create_check_constraint(CONSTRAINT, _kinds('outgoing', 'upload'))
