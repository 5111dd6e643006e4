"""Every table of every context, imported in one place for Alembic and the schema checks."""

from archive.keeping.models import ArchivalCounter, ArchiveItem, ArchivePackage
from docflow.attachments.models import DocumentAttachment
from docflow.distribution.models import Delivery, OutboxMessage
from docflow.exchange.models import ExchangeNode
from docflow.incoming.models import (
    InboxMessage,
    IncomingAction,
    IncomingAttachment,
    IncomingCounter,
    IncomingDocument,
    IncomingReader,
)
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
from docflow.rendering.models import RenderedCopy
from docflow.seals.models import DocumentSeal
from oa.audit.models import AuditChainHead, AuditRecord
from oa.auth.models import AuthSession
from oa.notify.models import NotificationCursor, NotificationEvent
from oa.org.models import Office, Person, PersonRole, Unit

__all__ = [
    "ArchivalCounter",
    "ArchiveItem",
    "ArchivePackage",
    "AuditChainHead",
    "AuditRecord",
    "AuthSession",
    "Delegation",
    "Delivery",
    "DocTemplate",
    "Document",
    "DocumentAction",
    "DocumentAttachment",
    "DocumentSeal",
    "DocumentTask",
    "DocumentVersion",
    "ExchangeNode",
    "InboxMessage",
    "IncomingAction",
    "IncomingAttachment",
    "IncomingCounter",
    "IncomingDocument",
    "IncomingReader",
    "IssuedNumber",
    "NotificationCursor",
    "NotificationEvent",
    "NumberCounter",
    "Office",
    "OutboxMessage",
    "Person",
    "PersonRole",
    "RenderedCopy",
    "Unit",
    "WorkflowSetting",
]
