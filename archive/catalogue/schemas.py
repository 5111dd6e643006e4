"""Request and response models of the archive API."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, model_validator

from oa.web.schemas import Input, Output, PageQuery

Retention = Literal["Y", "D30", "D10"]


class TransferIn(Input):
    """One document to transfer: a dispatched 发文 (document_id) or a 办结 收文 (incoming_id), exactly one."""

    document_id: int | None = Field(None, description="已核发公文的 id")
    incoming_id: int | None = Field(None, description="已办结收文的 id")

    @model_validator(mode="after")
    def _exactly_one(self) -> TransferIn:
        if (self.document_id is None) == (self.incoming_id is None):
            raise ValueError("请指定 document_id（发文）或 incoming_id（收文）之一")
        return self


class TransferYearIn(Input):
    year: int = Field(ge=1949, le=2999, description="年度（成文日期所在年）")


class AcceptIn(Input):
    retention: Retention | None = Field(None, description="保管期限；不填则按保管期限表")


class RejectIn(Input):
    reasons: list[str] = Field(min_length=1, max_length=20, description="退回理由，移交单位据此更正")


class CorrectIn(Input):
    declaration: str = Field(min_length=1, max_length=500, description="修改声明")
    title: str | None = Field(None, max_length=300)
    responsible: str | None = Field(None, max_length=200, description="责任者，多个用“、”分隔")
    document_number: str | None = Field(None, max_length=40)


class ExportIn(Input):
    year: int = Field(ge=1949, le=2999)
    formats: list[Literal["eep", "bagit", "eark"]] = Field(min_length=1)
    unit_code: str | None = Field(None, max_length=32, description="县档案馆档案员可导出任一单位；默认本单位")


class CatalogueQuery(PageQuery):
    q: str | None = Field(None, max_length=200, description="全文：题名、文号、责任者、正文")
    title: str | None = Field(None, max_length=200)
    doc_number: str | None = Field(None, max_length=40)
    responsible: str | None = Field(None, max_length=200)
    year: int | None = Field(None, ge=1949, le=2999)
    archival_code: str | None = Field(None, max_length=40)
    retention: Retention | None = None
    unit_code: str | None = Field(None, max_length=32)
    status: Literal["transferred", "rejected", "accepted"] | None = None


class ItemSummary(Output):
    id: int
    unit_id: int
    unit_code: str
    status: str
    title: str
    doc_number: str | None
    responsible: str
    doc_type: str
    year: int
    written_date: dt.date
    retention: str
    public: bool
    archival_code: str | None
    checks_passed: bool
    reject_reasons: list[str]
    transferred_at: dt.datetime
    decided_at: dt.datetime | None


class ItemPage(Output):
    items: list[ItemSummary]
    total: int


class ArchivePackageOut(Output):
    id: int
    kind: str
    sha256: str
    size: int
    note: str
    created_by: str
    created_at: dt.datetime


class ArchiveHistoryOut(Output):
    action: str
    actor: str | None
    at: dt.datetime
    detail: dict[str, Any]


class ItemView(ItemSummary):
    file_number: str
    fonds: str
    organisation: str
    item_number: int | None
    package_sha256: str
    package_size: int
    description: dict[str, Any]
    transfer_entry: dict[str, Any]
    check_report: dict[str, Any]
    packages: list[ArchivePackageOut]
    history: list[ArchiveHistoryOut]


class AttachmentPrecheck(Output):
    attachment_id: int
    title: str
    filename: str
    format: str = Field(description="从文件内容判定的格式，与接收检测所判相同（如 PDF/A、PDF、OOXML）")
    format_label: str = Field(description="格式的中文名称")
    accepted: bool = Field(description="归档时可用性检测能否通过")
    problems: list[str] = Field(description="不能通过的原因和办法；通过时为空")


class ArchivePrecheck(Output):
    """归档预检: the document's attachments judged by the archive's 可用性 check before it is sealed."""

    document_id: int
    accepted_formats: list[str] = Field(description="档案馆接收的格式（OA_ARCHIVE_FORMATS）")
    ready: bool = Field(description="全部附件都能通过")
    attachments: list[AttachmentPrecheck]
