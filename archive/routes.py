"""HTTP routes of the archive: transfer (registrar), intake (archivist), catalogue, download, export.

Thin: parse, call one use case, serialise. Upload of a package built elsewhere: `POST /api/archive/packages` with
the `.eep` bytes as the body (streamed to a scratch file, never held in memory).
"""

from __future__ import annotations

import shutil
from typing import Any
from urllib.parse import quote

from anyio import to_thread
from starlette.background import BackgroundTask
from starlette.responses import FileResponse

from archive.catalogue import service as catalogue
from archive.catalogue.queries import summary
from archive.catalogue.schemas import (
    AcceptIn,
    ArchivePrecheck,
    CatalogueQuery,
    CorrectIn,
    ExportIn,
    ItemPage,
    ItemSummary,
    ItemView,
    RejectIn,
    TransferIn,
    TransferYearIn,
)
from archive.intake import service as intake
from archive.keeping.models import ArchiveItem
from archive.keeping.store import PackageStore
from archive.transfer import incoming_transfer
from archive.transfer import service as transfer
from archive.transfer.precheck import precheck_document
from oa.errors import TooLarge
from oa.org.models import Unit
from oa.web.api import ApiRouter, Call
from oa.web.schemas import Query

router = ApiRouter()
TAGS = ("档案",)


async def _summary(call: Call[Any, Any], item: ArchiveItem) -> ItemSummary:
    async with call.uow() as uow:
        unit = await uow.session.get(Unit, item.unit_id)
        return summary(item, unit.code if unit else "")


@router.route("GET", "/api/documents/{document_id:int}/archive-precheck",
              summary="归档预检：附件能否通过档案馆的可用性检测（格式、能否打开、是否加密）", tags=TAGS,
              response=ArchivePrecheck, extra_responses={403: "无权查看此公文", 404: "公文不存在"})
async def precheck(call: Call[Any, Any]) -> ArchivePrecheck:
    async with call.services.sessions() as session:
        return await precheck_document(session, call.services.settings, call.me, call.path_int("document_id"))


@router.route("POST", "/api/archive/transfers", summary="归档移交一件已核发的公文或已办结的收文（退回的件重新移交）",
              tags=TAGS, body=TransferIn, response=ItemSummary, status=201,
              extra_responses={404: "公文不存在", 409: "未核发、未办结或已移交"})
async def transfer_one(call: Call[TransferIn, Any]) -> ItemSummary:
    async with call.uow() as uow:
        if call.body.incoming_id is not None:
            item = await incoming_transfer.transfer_incoming(uow, call.services.settings, call.body.incoming_id)
        else:
            assert call.body.document_id is not None  # the schema asks for exactly one of the two
            item = await transfer.transfer_document(uow, call.services.settings, call.body.document_id)
        await uow.commit()
    return await _summary(call, item)


@router.route("POST", "/api/archive/transfers/year", summary="按年度批量归档移交本单位已核发的公文和已办结的收文",
              tags=TAGS, body=TransferYearIn, response=list[ItemSummary], status=201)
async def transfer_batch(call: Call[TransferYearIn, Any]) -> list[ItemSummary]:
    async with call.uow() as uow:
        items = await transfer.transfer_year(uow, call.services.settings, call.body.year)
        await uow.commit()
    return [await _summary(call, item) for item in items]


@router.route("POST", "/api/archive/packages", summary="上传外部生成的封装包（请求体即 .eep 文件）", tags=TAGS,
              raw_body=("application/xml", "application/octet-stream"), response=ItemSummary, status=201,
              extra_responses={422: "封装包未通过校验（未保存）", 413: "过大"})
async def upload(call: Call[Any, Any]) -> ItemSummary:
    settings = call.services.settings
    store = PackageStore(settings.data_dir)
    scratch = await to_thread.run_sync(store.scratch_path)
    try:
        received = 0
        with scratch.open("wb") as out:
            async for chunk in call.request.stream():
                received += len(chunk)
                if received > settings.max_upload_bytes:
                    raise TooLarge(f"封装包超过 {settings.max_upload_bytes} 字节上限，未保存")
                await to_thread.run_sync(out.write, chunk)
        async with call.uow() as uow:
            item = await intake.receive_upload(uow, settings, scratch)
            await uow.commit()
    finally:
        scratch.unlink(missing_ok=True)
    return await _summary(call, item)


@router.route("GET", "/api/archive/items",
              summary="档案目录检索（题名、文号、责任者、年度、档号、保管期限、单位、全文）",
              tags=TAGS, query=CatalogueQuery, response=ItemPage)
async def search(call: Call[Any, CatalogueQuery]) -> ItemPage:
    async with call.uow() as uow:
        items, total = await catalogue.search_catalogue(uow, call.query)
    return ItemPage(items=items, total=total)


@router.route("GET", "/api/archive/items/{item_id:int}",
              summary="档案条目（元数据、四性检测报告、封装包、经过）；查阅留痕",
              tags=TAGS, response=ItemView, extra_responses={403: "无权查阅", 404: "不存在"})
async def read(call: Call[Any, Any]) -> ItemView:
    async with call.uow() as uow:
        return await catalogue.read_item(uow, call.path_int("item_id"))


class DownloadQuery(Query):
    package_id: int | None = None


@router.route("GET", "/api/archive/items/{item_id:int}/package", summary="下载封装包（默认现行版本）；下载留痕",
              tags=TAGS, query=DownloadQuery, extra_responses={403: "无权查阅", 409: "存储中的文件已损坏"})
async def download(call: Call[Any, DownloadQuery]) -> FileResponse:
    async with call.uow() as uow:
        found = await catalogue.download_package(uow, call.services.settings, call.path_int("item_id"),
                                                 call.query.package_id)
    return FileResponse(found.path, media_type="application/xml", headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.file_name)}",
        "Digest": f"sha-256={found.sha256}", "Cache-Control": "no-store"})


@router.route("POST", "/api/archive/items/{item_id:int}/accept", summary="接收：分配档号、加锁定签名、只读保存",
              tags=TAGS, body=AcceptIn, response=ItemSummary, extra_responses={409: "状态不符或四性检测未通过"})
async def accept(call: Call[AcceptIn, Any]) -> ItemSummary:
    async with call.uow() as uow:
        item = await intake.accept(uow, call.services.settings, call.path_int("item_id"), call.body.retention)
        await uow.commit()
    return await _summary(call, item)


@router.route("POST", "/api/archive/items/{item_id:int}/reject", summary="退回移交单位（写明理由）", tags=TAGS,
              body=RejectIn, response=ItemSummary, extra_responses={409: "状态不符"})
async def reject(call: Call[RejectIn, Any]) -> ItemSummary:
    async with call.uow() as uow:
        item = await intake.reject(uow, call.path_int("item_id"), call.body.reasons)
        await uow.commit()
    return await _summary(call, item)


@router.route("POST", "/api/archive/items/{item_id:int}/corrections", summary="更正元数据（生成修改型封装包）",
              tags=TAGS, body=CorrectIn, response=ItemSummary)
async def correct(call: Call[CorrectIn, Any]) -> ItemSummary:
    body = call.body
    changes = {name: value for name, value in (("title", body.title), ("responsible", body.responsible),
                                               ("document_number", body.document_number)) if value is not None}
    async with call.uow() as uow:
        item = await intake.correct(uow, call.services.settings, call.path_int("item_id"), body.declaration, changes)
        await uow.commit()
    return await _summary(call, item)


@router.route("POST", "/api/archive/exports", summary="导出年度档案（EEP 批次+移交清单、BagIt、E-ARK SIP）为 zip",
              tags=TAGS, body=ExportIn, extra_responses={403: "无权导出", 422: "该年度没有已接收的档案"})
async def export(call: Call[ExportIn, Any]) -> FileResponse:
    async with call.uow() as uow:
        archive = await catalogue.export_year(uow, call.services.settings, call.body.year, list(call.body.formats),
                                              call.body.unit_code)
    return FileResponse(archive, media_type="application/zip", filename=archive.name,
                        background=BackgroundTask(shutil.rmtree, archive.parent, ignore_errors=True))
