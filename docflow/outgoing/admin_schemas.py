"""Request and response models of the configuration API of outgoing documents: drafting templates, delegations
(委托) and per-unit workflow settings."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from docflow.outgoing.schemas import DocTypeName, RecipientIn
from docflow.rules.workflow_definition import PolicyKind, StepKind
from oa.web.schemas import Input, Output

PublicationLevelName = Literal["公开", "不公开", "依申请公开"]
DAIZI_PATTERN = r"^[\u4e00-\u9fff]+$"


class TemplateIn(Input):
    name: str = Field(min_length=1, max_length=64, description="模板名称，如 县政府发文")
    doc_type: DocTypeName
    issuer_mark: str = Field(min_length=1, max_length=100, description="发文机关标志，如 象山县人民政府文件")
    issuer_name: str = Field(min_length=1, max_length=100, description="发文机关署名，如 象山县人民政府")
    daizi: str = Field(min_length=1, max_length=20, pattern=DAIZI_PATTERN, description="机关代字，如 象政发")
    main_recipients: list[RecipientIn] = Field(default_factory=list, max_length=500)
    copy_recipients: list[RecipientIn] = Field(default_factory=list, max_length=500)
    publication_level: PublicationLevelName = "不公开"
    printing_organ: str = Field("", max_length=100, description="印发机关")


class TemplatePatch(Input):
    """Only the fields sent are changed."""

    name: str | None = Field(None, min_length=1, max_length=64)
    doc_type: DocTypeName | None = None
    issuer_mark: str | None = Field(None, min_length=1, max_length=100)
    issuer_name: str | None = Field(None, min_length=1, max_length=100)
    daizi: str | None = Field(None, min_length=1, max_length=20, pattern=DAIZI_PATTERN)
    main_recipients: list[RecipientIn] | None = Field(None, max_length=500)
    copy_recipients: list[RecipientIn] | None = Field(None, max_length=500)
    publication_level: PublicationLevelName | None = None
    printing_organ: str | None = Field(None, max_length=100)


class RecipientOut(Output):
    unit_code: str | None
    name: str


class TemplateOut(Output):
    id: int
    unit_id: int
    name: str
    doc_type: str
    issuer_mark: str
    issuer_name: str
    daizi: str
    main_recipients: list[RecipientOut]
    copy_recipients: list[RecipientOut]
    publication_level: str
    printing_organ: str


class TemplateList(Output):
    items: list[TemplateOut]


class DelegationIn(Input):
    delegate_id: int = Field(description="受托人")
    starts_at: datetime = Field(description="开始时间（含时区，如 2026-12-01T08:00:00+08:00）")
    ends_at: datetime = Field(description="结束时间（不含）")
    reason: str = Field("", max_length=500, description="事由，如 出差")


class DelegationOut(Output):
    id: int
    person_id: int
    person_name: str
    delegate_id: int
    delegate_name: str
    starts_at: datetime
    ends_at: datetime
    reason: str
    created_at: datetime
    revoked_at: datetime | None
    active: bool = Field(description="此刻是否生效")


class DelegationList(Output):
    given: list[DelegationOut] = Field(description="我委托给别人的")
    received: list[DelegationOut] = Field(description="别人委托给我的")


class PolicyIn(Input):
    kind: PolicyKind = PolicyKind.ALL
    quorum: int = Field(0, ge=0, le=500)


class StepIn(Input):
    kind: StepKind
    role: str | None = Field(None, min_length=1, max_length=32, description="角色，如 核稿人、签发人、登记员")
    people: list[int] = Field(default_factory=list, max_length=200, description="指定办理人（人员 id）")
    optional: bool = False
    deadline_hours: int | None = Field(None, ge=1, le=8760)
    policy: PolicyIn = Field(default_factory=PolicyIn)
    drafter_may_countersign: bool = False


class WorkflowIn(Input):
    name: str = Field("发文流程", min_length=1, max_length=64)
    steps: list[StepIn] = Field(min_length=1, max_length=8)


class StepOut(Output):
    kind: StepKind
    role: str | None
    people: list[int]
    optional: bool
    deadline_hours: int | None
    policy: dict[str, int | str]
    drafter_may_countersign: bool


class WorkflowOut(Output):
    unit_id: int
    unit_code: str
    name: str
    steps: list[StepOut]
    customised: bool = Field(description="false 表示使用标准流程（本单位未设置）")
    updated_at: datetime | None
