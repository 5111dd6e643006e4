"""Every table of every context, imported in one place for Alembic and the schema checks."""

from docflow.numbering.models import IssuedNumber, NumberCounter
from docflow.outgoing.models import (
    Delegation,
    DocTemplate,
    Document,
    DocumentAction,
    DocumentTask,
    DocumentVersion,
    WorkflowSetting,
)
from oa.audit.models import AuditChainHead, AuditRecord
from oa.auth.models import AuthSession
from oa.notify.models import NotificationCursor, NotificationEvent
from oa.org.models import Office, Person, PersonRole, Unit

__all__ = [
    "AuditChainHead",
    "AuditRecord",
    "AuthSession",
    "Delegation",
    "DocTemplate",
    "Document",
    "DocumentAction",
    "DocumentTask",
    "DocumentVersion",
    "IssuedNumber",
    "NotificationCursor",
    "NotificationEvent",
    "NumberCounter",
    "Office",
    "Person",
    "PersonRole",
    "Unit",
    "WorkflowSetting",
]
