"""What happens after 用印 and 核发, in the same transaction as the action: the final copy rendered as PDF, the seal
signature over the final document, and delivery to every 主送 and 抄送 unit through the outbox."""

from __future__ import annotations

from docflow.outgoing.models import Document
from oa.settings import Settings
from oa.uow import UnitOfWork


async def after_seal(uow: UnitOfWork, document: Document, settings: Settings) -> None:
    from docflow.rendering.service import make_final_copy
    from docflow.seals.service import seal_document

    # The final copy is made first: it writes the page count (页码) and 印发日期 into the content, and the seal
    # must sign those as printed. A copy that cannot be laid out refuses 用印 before anything is signed.
    await make_final_copy(uow, document, settings)
    # The settings say where the units' seal keys (OA_KEYS_DIR) and the attachment files (OA_DATA_DIR) are.
    await seal_document(uow, document, settings)


async def after_dispatch(uow: UnitOfWork, document: Document) -> None:
    from docflow.distribution.service import distribute

    await distribute(uow, document)
