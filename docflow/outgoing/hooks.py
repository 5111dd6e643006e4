"""What happens after 用印 and 核发, in the same transaction as the action: the seal signature over the final
document, and delivery to every 主送 and 抄送 unit through the outbox."""

from __future__ import annotations

from docflow.outgoing.models import Document
from oa.settings import Settings
from oa.uow import UnitOfWork


async def after_seal(uow: UnitOfWork, document: Document, settings: Settings) -> None:
    from docflow.seals.service import seal_document

    # The settings say where the units' seal keys (OA_KEYS_DIR) and the attachment files (OA_DATA_DIR) are.
    await seal_document(uow, document, settings)


async def after_dispatch(uow: UnitOfWork, document: Document) -> None:
    from docflow.distribution.service import distribute

    await distribute(uow, document)
