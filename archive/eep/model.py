"""Plain data for an EEP package: what the builder takes in and what the reader gives back.

Frozen dataclasses with no behaviour beyond small derived values, so the builder, the reader, the four
checks and the lead's database code can share them without importing each other. Input values are the
users' own words (DA/T 46 metadata in Chinese); dates are ``datetime.date`` / timezone-aware
``datetime``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO


class DocumentRole(StrEnum):
    """文档主从声明: the final rendered copy is the 主文档, everything else 附属文档."""

    MAIN = "主文档"
    ATTACHED = "附属文档"


class BusinessState(StrEnum):
    """业务状态 of a 业务实体: something that happened, or something planned."""

    HISTORY = "历史行为"
    PLANNED = "计划任务"


class AgentType(StrEnum):
    """机构人员类型."""

    UNIT = "单位"
    DEPARTMENT = "内设机构"
    PERSON = "个人"


class PackageType(StrEnum):
    """封装包类型."""

    ORIGINAL = "原始型"
    REVISION = "修改型"


@dataclass(frozen=True)
class Origin:
    """来源: where the item comes from (the fonds it belongs to)."""

    fonds_name: str
    archive_name: str = ""
    archive_code: str = ""


@dataclass(frozen=True)
class ContentDescription:
    """内容描述: the 公文's own elements as DA/T 46 names them."""

    title: str
    document_number: str
    responsible: tuple[str, ...]
    date: dt.date
    document_type: str
    urgency: str = ""
    primary_recipients: tuple[str, ...] = ()
    copy_recipients: tuple[str, ...] = ()
    classification: str = "公开"
    classification_period: str = ""


@dataclass(frozen=True)
class FileEntityMetadata:
    """文件实体 metadata (DA/T 46) apart from the files themselves."""

    file_number: str
    origin: Origin
    description: ContentDescription
    archival_code: str = ""
    aggregation_level: str = "文件"
    page_count: int | None = None
    composition: str = "单件"
    storage_location: str = ""
    access_control: str = "控制"
    rights_statement: str = ""
    note: str = ""


@dataclass(frozen=True)
class PackageDocument:
    """One file of the item: a path or an open binary stream, read once, in chunks, by the builder.

    ``size`` is needed only for a stream that cannot seek (the size is written before the data).
    """

    identifier: str
    role: DocumentRole
    title: str
    file_name: str
    format_info: str
    source: Path | BinaryIO
    creating_application: str = ""
    size: int | None = None


@dataclass(frozen=True)
class BusinessEntity:
    """业务实体: one workflow action, from 拟稿 to 归档."""

    identifier: str
    agent_id: str
    file_id: str
    action: str
    time: dt.datetime
    basis: str = ""
    description: str = ""
    state: BusinessState = BusinessState.HISTORY


@dataclass(frozen=True)
class AgentEntity:
    """机构人员实体: a unit, department or person named by the business entities."""

    identifier: str
    agent_type: AgentType
    name: str
    organisation_code: str = ""
    position: str = ""


@dataclass(frozen=True)
class PackageInput:
    """Everything one 原始型 package holds."""

    created_by: str
    created_at: dt.datetime
    file_entity: FileEntityMetadata
    documents: tuple[PackageDocument, ...]
    business: tuple[BusinessEntity, ...]
    agents: tuple[AgentEntity, ...]


@dataclass(frozen=True)
class MetadataRevision:
    """A correction of metadata: becomes a 修改型 package around the untouched original."""

    declaration: str
    corrected: FileEntityMetadata
    created_by: str
    created_at: dt.datetime
    business: tuple[BusinessEntity, ...] = ()
    agents: tuple[AgentEntity, ...] = ()


@dataclass(frozen=True)
class DocumentRecord:
    """A document as read back from a package: its declared attributes and what its bytes really are."""

    identifier: str
    role: str
    title: str
    file_name: str
    format_info: str
    declared_size: int | None
    declared_digests: dict[str, str]
    actual_size: int
    actual_digests: dict[str, str]
    base64_error: str | None
    head: bytes = b""
    tail: bytes = b""
    markers: frozenset[bytes] = frozenset()

    @property
    def extension(self) -> str:
        return Path(self.file_name).suffix.lower().lstrip(".")


@dataclass(frozen=True)
class PackageMetadata:
    """The metadata of the package's current file entity, with ``None`` where an element is absent.

    For a 修改型 package these are the corrected values from the 修改层; documents and history come
    from the nested original plus the revision.
    """

    package_type: str | None
    created_at: str | None
    created_by: str | None
    fields: dict[str, str | None]
    recipients: dict[str, tuple[str, ...]]
    responsible: tuple[str, ...]
    documents: tuple[DocumentRecord, ...]
    business: tuple[dict[str, str], ...]
    agents: tuple[dict[str, str], ...] = field(default=())
