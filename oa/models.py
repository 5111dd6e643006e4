"""Every table of every context, imported in one place for Alembic and the schema checks."""

from oa.audit.models import AuditChainHead, AuditRecord
from oa.auth.models import AuthSession
from oa.notify.models import NotificationCursor, NotificationEvent
from oa.org.models import Office, Person, PersonRole, Unit

__all__ = [
    "AuditChainHead",
    "AuditRecord",
    "AuthSession",
    "NotificationCursor",
    "NotificationEvent",
    "Office",
    "Person",
    "PersonRole",
    "Unit",
]
