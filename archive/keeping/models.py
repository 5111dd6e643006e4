"""Tables of the archive: one row per item (件) with its status, the packages stored for it, and the 件号 counters.

An item moves transferred → accepted, or transferred → rejected → transferred (the unit corrects and resends).
`status` is one enum column changed under a row lock; `version` grows with every change. The 档号 is unique in
the database (the last line of defence behind the counter), and a document is transferred at most once
(`source_kind`, `source_id`). Every package file ever stored for an item has a row, so the fixity audit knows
what to re-check and the item view can show the item's history of packages.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from oa.database import Base, UTCDateTime, str_enum


class ItemStatus(StrEnum):
    TRANSFERRED = "transferred"  # 已移交, waiting in the archivist's queue with its four-check report
    REJECTED = "rejected"  # 退回: the unit sees the reasons and may resend
    ACCEPTED = "accepted"  # 已接收: 档号 assigned, 锁定签名 applied, kept write-once


class SourceKind(StrEnum):
    OUTGOING = "outgoing"  # a dispatched 发文
    INCOMING = "incoming"  # a 办结 收文 (source_id = incoming_documents.id)
    UPLOAD = "upload"  # a package built elsewhere and uploaded by the registrar


class PackageKind(StrEnum):
    TRANSFERRED = "transferred"  # as the unit signed it
    LOCKED = "locked"  # with the archive's 锁定签名, the copy kept after acceptance
    REVISION = "revision"  # 修改型: a metadata correction around the kept original


class ArchiveItem(Base):
    __tablename__ = "archive_items"
    __table_args__ = (
        UniqueConstraint("source_kind", "source_id"),
        Index("ix_archive_items_unit_status", "unit_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    source_kind: Mapped[SourceKind] = mapped_column(str_enum(SourceKind, "archive_source_kind"))
    source_id: Mapped[int | None] = mapped_column(Integer, default=None)
    status: Mapped[ItemStatus] = mapped_column(str_enum(ItemStatus, "archive_item_status"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    file_number: Mapped[str] = mapped_column(String(64))  # 电子文件号
    title: Mapped[str] = mapped_column(String(300))
    doc_number: Mapped[str | None] = mapped_column(String(40), index=True)
    responsible: Mapped[str] = mapped_column(String(200))  # 责任者
    doc_type: Mapped[str] = mapped_column(String(8))
    written_date: Mapped[date] = mapped_column(Date)
    year: Mapped[int] = mapped_column(Integer, index=True)
    retention: Mapped[str] = mapped_column(String(4))  # Y | D30 | D10
    public: Mapped[bool] = mapped_column(Boolean)  # 发布层次: 公开 or not
    fonds: Mapped[str] = mapped_column(String(4))
    organisation: Mapped[str] = mapped_column(String(10))  # 机构（问题）代码
    archival_code: Mapped[str | None] = mapped_column(String(40), unique=True, default=None)
    item_number: Mapped[int | None] = mapped_column(Integer, default=None)
    package_sha256: Mapped[str] = mapped_column(String(64))  # the package in force
    package_size: Mapped[int] = mapped_column(BigInteger)
    description: Mapped[dict[str, Any]] = mapped_column(JSON)  # the file entity metadata, to rebuild corrections
    transfer_entry: Mapped[dict[str, Any]] = mapped_column(JSON)  # the 移交清单 line as the unit declared it
    check_report: Mapped[dict[str, Any]] = mapped_column(JSON)  # 四性检测 at arrival
    reject_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    search_text: Mapped[str] = mapped_column(Text)  # normalised title, 文号, 责任者 and body for full-text search
    transferred_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    transferred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class ArchivePackage(Base):
    """One stored package file (write-once, named by its SHA-256) of an item."""

    __tablename__ = "archive_packages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("archive_items.id", ondelete="CASCADE"), index=True)
    kind: Mapped[PackageKind] = mapped_column(str_enum(PackageKind, "archive_package_kind"))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ArchivalCounter(Base):
    """The last 件号 given in one class (全宗, 门类, 年度, 保管期限, 机构): incremented under its row lock."""

    __tablename__ = "archival_counters"

    fonds: Mapped[str] = mapped_column(String(4), primary_key=True)
    category: Mapped[str] = mapped_column(String(4), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    retention: Mapped[str] = mapped_column(String(4), primary_key=True)
    organisation: Mapped[str] = mapped_column(String(10), primary_key=True)
    last_item: Mapped[int] = mapped_column(Integer, default=0)
