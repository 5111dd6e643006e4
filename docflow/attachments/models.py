"""The attachment table: one row per file attached to a document, naming the blob by its SHA-256.

The bytes live on disk under `OA_DATA_DIR/blobs/` (see `blobs.py`), once per content: two documents attaching the
same file share one blob. The (document, sha256) pair is unique, so the same file cannot be attached twice to one
document even by two concurrent uploads.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from oa.database import Base, UTCDateTime


class DocumentAttachment(Base):
    __tablename__ = "document_attachments"
    __table_args__ = (UniqueConstraint("document_id", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))  # 附件说明 line: “附件：1. <title>”
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(120))  # from the magic bytes, never from the client
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    sm3: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime())
