"""The table of rendered final copies: which PDF (by SHA-256) is the sealed copy of which document.

The bytes live on disk under `OA_DATA_DIR/rendered/<sha256>.pdf` (see `store.py`); the row says which file is the
copy, how large it is and how many pages it has, so a served file can be checked against it before it leaves.
A document sealed again after being sent back through 用印 gets a new row; the latest row is the copy in force.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from oa.database import Base, UTCDateTime


class RenderedCopy(Base):
    __tablename__ = "rendered_copies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    page_count: Mapped[int] = mapped_column(Integer)
    rendered_at: Mapped[datetime] = mapped_column(UTCDateTime())
