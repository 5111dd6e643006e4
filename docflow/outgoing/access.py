"""Who may read a document: people of its unit who work on documents, and anyone who holds or held one of its
tasks (a countersigner of another unit sees the document for that step). Administrators never read documents."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.outgoing.models import Document, DocumentTask
from oa.auth.principal import Principal
from oa.errors import Forbidden
from oa.org.roles import BUSINESS_ROLES, Role


def works_on_documents(me: Principal) -> bool:
    return bool(me.roles & BUSINESS_ROLES)


def require_drafter(me: Principal) -> None:
    me.require(Role.DRAFTER)


async def can_read(session: AsyncSession, me: Principal, document: Document) -> bool:
    if not works_on_documents(me):
        return False
    if me.unit_id == document.unit_id:
        return True
    held = await session.execute(
        select(exists().where(DocumentTask.document_id == document.id, DocumentTask.holder_id == me.person_id))
    )
    return bool(held.scalar())


def require_business_user(me: Principal) -> None:
    if not works_on_documents(me):
        raise Forbidden("管理员账号不能查看或办理公文（三员分立）")
