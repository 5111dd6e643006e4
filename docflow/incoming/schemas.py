"""Request and response models of the incoming-documents (收文) API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from docflow.incoming.rules import Action, State
from docflow.outgoing.schemas import ContentIn
from oa.web.schemas import Input, Output, PageQuery


class IncomingActionIn(Input):
    action: Action
    reasons: list[str] = Field(default_factory=list, max_length=20, description="退文理由")
    readers: list[int] = Field(default_factory=list, max_length=500, description="传阅人")
    text: str = Field("", max_length=5000, description="拟办意见 / 批示 / 催办内容 / 办结说明")
    leader_id: int | None = Field(None, description="拟办时请哪位领导批示")
    lead_office_id: int | None = Field(None, description="主办处室")
    helper_office_ids: list[int] = Field(default_factory=list, max_length=50, description="协办处室")
    deadline: datetime | None = Field(None, description="办理时限（带时区）")
    title: str | None = Field(None, min_length=1, max_length=300, description="登记时更正标题")
    doc_number: str | None = Field(None, max_length=40, description="登记时更正来文字号")


class ReplyIn(Input):
    content: ContentIn


class ScannedFileIn(Input):
    filename: str = Field(min_length=1, max_length=255)
    media_type: str = Field("application/pdf", max_length=100)
    content_base64: str = Field(max_length=30_000_000)


class ManualRegisterIn(Input):
    """A paper or e-mail document registered by hand: main data and the scanned files."""

    sender_name: str = Field(min_length=1, max_length=200)
    title: str = Field(min_length=1, max_length=300)
    doc_type: str = Field(min_length=1, max_length=8)
    doc_number: str | None = Field(None, max_length=40)
    urgency: Literal["特急", "加急"] | None = None
    received_via: Literal["纸质", "电子邮件", "传真", "其他"] = "纸质"
    summary: str = Field("", max_length=5000)
    files: list[ScannedFileIn] = Field(default_factory=list, max_length=20)


class IncomingListQuery(PageQuery):
    box: Literal["unsigned", "todo", "toread", "all"] = Field("todo", description="未签收 / 待办 / 待阅 / 全部")


class IncomingReaderOut(Output):
    person_id: int
    name: str
    sent_at: datetime
    read_at: datetime | None


class IncomingAttachmentOut(Output):
    position: int
    filename: str
    media_type: str
    size: int
    sha256: str


class IncomingHistoryOut(Output):
    action: str
    actor_id: int | None
    from_state: str
    to_state: str
    note: str
    at: datetime


class IncomingSummary(Output):
    id: int
    state: State
    state_label: str
    title: str
    doc_type: str
    doc_number: str | None
    urgency: str | None
    sender_name: str
    register_number: str | None
    received_at: datetime
    deadline: datetime | None


class IncomingOut(IncomingSummary):
    source: str
    sender_unit_code: str | None
    elements: dict[str, Any]
    body: list[dict[str, Any]]
    seal: dict[str, Any] | None
    signed_for_at: datetime | None
    registered_at: datetime | None
    return_reasons: list[str]
    proposal: str
    leader_id: int | None
    instruction: str
    lead_office_id: int | None
    helper_office_ids: list[int]
    reply_document_id: int | None
    closed_at: datetime | None
    readers: list[IncomingReaderOut]
    attachments: list[IncomingAttachmentOut]
    history: list[IncomingHistoryOut]
    actions: list[Action]


class IncomingPage(Output):
    items: list[IncomingSummary]
    total: int


class ReplyOut(Output):
    incoming_id: int
    document_id: int
