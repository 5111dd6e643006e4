"""The statements sent to asyncpg directly on PostgreSQL write the same columns as their SQLite twins: a column
added to a table and to the rows the use cases build, but not to the hand-written statement, would be dropped
silently on PostgreSQL alone. Pure: reads the statements' column lists."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from docflow.outgoing import writes
from docflow.outgoing.flows import task_values
from docflow.outgoing.models import DocumentAction, DocumentTask
from docflow.rules.workflow_definition import StepKind
from docflow.rules.workflow_state import Task
from oa.audit import service as audit_service
from oa.audit.models import AuditRecord
from oa.database import table_of
from oa.notify import service as notify_service
from oa.notify.models import NotificationEvent


def inserted_columns(sql: str, table: str) -> set[str]:
    match = re.search(rf"INSERT INTO {table} \(([^)]*)\)", sql)
    assert match, f"no INSERT INTO {table} in the statement"
    return {column.strip() for column in match.group(1).split(",")}


def columns_of(model: type) -> set[str]:
    return set(table_of(model).c.keys())


def test_the_new_tasks_carry_every_column_the_use_cases_give_them():
    task = Task(id=3, step=StepKind.SIGNOFF, holder="7", round=1, created_at=datetime.now(UTC))
    values = task_values(42, task)
    left_out = {"reminded_near_at", "reminded_overdue_at"}  # nobody has been reminded of a new task
    assert all(values[column] is None for column in left_out)
    assert inserted_columns(writes._WRITE_ACTION_PG, "document_tasks") == set(values) - left_out
    assert set(values) == columns_of(DocumentTask) - {"id"}


def test_the_history_row_audit_record_and_events_carry_every_column():
    assert inserted_columns(writes._WRITE_ACTION_PG, "document_actions") == columns_of(DocumentAction) - {"id"}
    assert inserted_columns(audit_service._APPEND_PG, "audit_log") == columns_of(AuditRecord)
    # The entries carry every column but the three the chain head gives (numbered and hashed in the statement).
    assert set(audit_service._ENTRY_COLUMNS) == columns_of(AuditRecord) - {"id", "prev_hash", "hash"}
    # … and go in as the statement unnests them, in order (two text columns swapped would still insert).
    unnested = re.search(r"AS e\(([^)]*)\)", audit_service._APPEND_PG)
    assert unnested
    assert [c.strip() for c in unnested.group(1).split(",")] == ["before_id", "after_id",
                                                                 *audit_service._ENTRY_COLUMNS, "n"]
    assert (inserted_columns(notify_service._WRITE_EVENTS_PG, "notification_events")
            == columns_of(NotificationEvent) - {"id"})


def test_the_closing_and_flow_columns_are_the_same_on_both_databases():
    update = re.search(r"UPDATE documents SET (.*?) WHERE", writes._WRITE_ACTION_PG, re.S)
    assert update
    assert {part.split("=")[0].strip() for part in update.group(1).split(",")} == set(writes.FLOW_COLUMNS)
    closing = re.search(r"UPDATE document_tasks AS t\s+SET (.*?)\s+FROM", writes._WRITE_ACTION_PG, re.S)
    assert closing
    assert {part.split("=")[0].strip() for part in closing.group(1).split(",")} == set(writes._CLOSING_COLUMNS)


def test_the_action_context_reads_the_task_columns_the_flow_is_made_from():
    from typing import get_type_hints

    from docflow.outgoing import context
    from docflow.outgoing.flows import TaskColumns

    row = re.search(r"ARRAY\(SELECT ROW\(([^)]*)\)\s+FROM document_tasks", context._CONTEXT_PG)
    assert row
    assert [c.strip() for c in row.group(1).split(",")] == list(context.TASK_COLUMNS)
    assert set(context.TASK_COLUMNS) == set(get_type_hints(TaskColumns))
