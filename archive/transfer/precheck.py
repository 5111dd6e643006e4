"""归档预检 of an outgoing document: its attachments, judged now as the archive's intake will judge them.

Read-only and open to anyone who may read the document. It looks at the files on disk (not at a package: none is
built yet; each stored file once per process, as its bytes never change) and at the format list the archive applies
today, so a changed `OA_ARCHIVE_FORMATS` shows at once.
The main document needs no check: the final copy made at 用印 is PDF/A.
"""

from __future__ import annotations

from functools import partial

from anyio import to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from archive.catalogue.schemas import ArchivePrecheck, AttachmentPrecheck
from archive.checks.formats import FileKind, accepted_formats
from archive.checks.precheck import FileVerdict, facts_of_stored_file, label_of, verdict_of
from docflow.attachments.blobs import BlobStore
from docflow.attachments.service import attachments_of, readable_document
from oa.auth.principal import Principal
from oa.settings import Settings


async def precheck_document(session: AsyncSession, settings: Settings, me: Principal,
                            document_id: int) -> ArchivePrecheck:
    document = await readable_document(session, me, document_id)
    accepted = accepted_formats(settings.extra)
    store = BlobStore(settings.data_dir)
    results: list[AttachmentPrecheck] = []
    for row in await attachments_of(session, document.id):
        path = store.path_of(row.sha256)
        if path.is_file():
            # Off the event loop: the first time, a PDF is read to its end for the PDF/A mark (uploads may be large).
            facts = await to_thread.run_sync(partial(facts_of_stored_file, path, row.filename))
            verdict = verdict_of(facts, accepted)
        else:  # said of this file, not as an error of the whole list: the others are still worth knowing
            verdict = FileVerdict(FileKind.UNKNOWN, False, (
                "附件的文件已不在存储中，不能用印，也不能归档；请删除后重新上传，或请系统管理员从备份恢复",))
        results.append(AttachmentPrecheck(
            attachment_id=row.id, title=row.title, filename=row.filename, format=verdict.format.value,
            format_label=label_of(verdict.format), accepted=verdict.accepted, problems=list(verdict.problems)))
    return ArchivePrecheck(document_id=document.id, accepted_formats=sorted(kind.value for kind in accepted),
                           ready=all(r.accepted for r in results), attachments=results)
