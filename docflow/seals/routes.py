"""HTTP route of the seal: anyone who may read a document may check its seal."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from docflow.attachments.service import readable_document
from docflow.seals.schemas import SealVerification
from docflow.seals.service import verify_seal
from oa.web.api import ApiRouter, Call

router = ApiRouter()


@router.route("GET", "/api/documents/{document_id:int}/seal/verify", summary="核验电子印章", tags=("用印",),
              response=SealVerification, extra_responses={404: "公文不存在"})
async def verify(call: Call[Any, Any]) -> SealVerification:
    """Recomputes the canonical form from the stored document and the attachment files, and checks the signature."""
    async with call.services.sessions() as session:
        document = await readable_document(session, call.me, call.path_int("document_id"))
        check = await verify_seal(session, document, call.services.settings)
    return SealVerification(**asdict(check))
