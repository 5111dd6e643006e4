"""Request and response models of the outgoing-documents API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from docflow.attachments.schemas import AttachmentOut
from docflow.rules.workflow_commands import Action, ReturnTarget
from docflow.rules.workflow_definition import StepKind
from docflow.rules.workflow_state import DocState, TaskOutcome, TaskStatus
from oa.web.schemas import Input, Output, PageQuery, Query

DocTypeName = Literal[
    "决议", "决定", "命令", "令", "公报", "公告", "通告", "意见",
    "通知", "通报", "报告", "请示", "批复", "议案", "函", "纪要",
]


class RecipientIn(Input):
    unit_code: str | None = Field(None, max_length=32, description="目录中的单位代码；外部机关留空")
    name: str = Field(min_length=1, max_length=100)


class BlockIn(Input):
    level: int = Field(ge=0, le=4, description="0 段落；1 一、；2 （一）；3 1.；4 （1）")
    text: str = Field(max_length=20_000)


class ContentIn(Input):
    """What the drafter writes. Elements set by the workflow (发文字号, 签发 date, seal) are not here."""

    doc_type: DocTypeName
    title: str = Field(min_length=1, max_length=300)
    urgency: Literal["特急", "加急"] | None = None
    classification: Literal["绝密", "机密", "秘密"] | None = None
    secrecy_period: str | None = Field(None, max_length=10)
    copy_number: str | None = Field(None, max_length=6)
    publication_level: Literal["公开", "不公开", "依申请公开"] = "不公开"
    issuer_mark: str = Field(min_length=1, max_length=100)
    issuer_names: list[str] = Field(min_length=1, max_length=10)
    daizi: str = Field(min_length=1, max_length=20, description="机关代字，如 象政发")
    main_recipients: list[RecipientIn] = Field(default_factory=list, max_length=500)
    copy_recipients: list[RecipientIn] = Field(default_factory=list, max_length=500)
    body: list[BlockIn] = Field(default_factory=list, max_length=5000)
    signers: list[str] = Field(default_factory=list, max_length=10)
    written_date: date | None = None
    notes: str = Field("", max_length=2000)
    printing_organ: str = Field("", max_length=100)


class DraftCreate(Input):
    template_id: int | None = None
    content: ContentIn


class ContentSave(Input):
    base_version: int = Field(ge=1, description="the version this edit started from; a stale one is refused")
    content: ContentIn
    summary: str = Field("", max_length=500)


class ActionIn(Input):
    action: Action
    opinion: str = Field("", max_length=2000)
    reason: str = Field("", max_length=2000)
    next_holders: list[int] = Field(default_factory=list, max_length=200)
    skip: list[StepKind] = Field(default_factory=list, max_length=8)
    target: ReturnTarget | None = None
    step: StepKind | None = None
    task_no: int | None = None
    to: int | None = None
    people: list[int] = Field(default_factory=list, max_length=200)
    message: str = Field("", max_length=500)


class TaskOut(Output):
    task_no: int
    step: StepKind
    holder_id: int
    holder_name: str
    round: int
    status: TaskStatus
    outcome: TaskOutcome | None
    opinion: str
    acted_by_id: int | None
    created_at: datetime
    due_at: datetime | None
    closed_at: datetime | None


class DocumentOut(Output):
    id: int
    identifier: str
    unit_id: int
    drafter_id: int
    state: DocState
    version: int
    doc_number: str | None
    content: dict[str, Any]
    tasks: list[TaskOut]
    signoff: dict[str, Any] | None
    allowed_actions: list[Action]
    created_at: datetime
    updated_at: datetime
    attachments: list[AttachmentOut] = Field(default_factory=list, description="附件，按附件说明的顺序")
    attachment_notes: list[str] = Field(default_factory=list, description="附件说明，如 “1. 实施方案”")


class HistoryEntry(Output):
    action: str
    actor_id: int
    actor_name: str
    acting_for_id: int | None
    from_state: str
    to_state: str
    note: str
    at: datetime


class HistoryOut(Output):
    items: list[HistoryEntry]


class VersionOut(Output):
    number: int
    author_id: int
    author_name: str
    step: str
    summary: str
    created_at: datetime


class VersionList(Output):
    items: list[VersionOut]


class ListItem(Output):
    id: int
    title: str
    doc_type: str
    state: DocState
    doc_number: str | None
    urgency: str | None
    updated_at: datetime
    task_no: int | None = None
    step: StepKind | None = None
    due_at: datetime | None = None
    overdue: bool = False


class ListPage(Output):
    items: list[ListItem]
    total: int


class ListQuery(PageQuery):
    q: str | None = Field(None, max_length=100, description="标题包含")
    doc_type: DocTypeName | None = None
    overdue: bool | None = None


class DiffRow(Output):
    op: str
    text: str
    old_line: int | None
    new_line: int | None


class FieldChange(Output):
    field: str
    before: Any
    after: Any


class VersionDiff(Output):
    from_version: int
    to_version: int
    from_author: str
    to_author: str
    from_at: datetime
    to_at: datetime
    fields: list[FieldChange]
    body: list[DiffRow]
    added: int
    removed: int


class VersionPair(Query):
    a: int = Field(ge=1, description="较早的版本号")
    b: int = Field(ge=1, description="较晚的版本号")


class Counts(Output):
    """The same numbers as the event stream's badges (plus 我的草稿), so a reload and a live update agree."""

    todo: int = Field(description="待办：发文待办 + 收文待办")
    overdue: int = Field(description="超期的发文待办")
    drafts: int = Field(description="我的草稿")
    to_read: int = Field(description="待阅（收文传阅）")
    unsigned: int = Field(description="未签收（本单位文书）")
