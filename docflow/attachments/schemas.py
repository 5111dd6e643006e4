"""Request and response models of the attachments API."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from oa.web.schemas import Output, Query


class UploadQuery(Query):
    """The file itself is the raw request body; its name and title travel in the query string (UTF-8, %-encoded)."""

    filename: str = Field(min_length=1, max_length=255, description="文件名，含扩展名，如 实施方案.pdf")
    title: str | None = Field(None, min_length=1, max_length=200,
                              description="附件标题（附件说明）；缺省取文件名去掉扩展名")


class AttachmentOut(Output):
    id: int
    document_id: int
    title: str
    filename: str
    media_type: str
    size: int
    sha256: str
    sm3: str
    uploaded_by_id: int
    uploaded_at: datetime


class AttachmentList(Output):
    items: list[AttachmentOut]
    notes: list[str] = Field(description="附件说明，如 “1. 实施方案”")
