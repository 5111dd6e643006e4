"""The seal record: which unit's key signed which canonical form of a document, when, and the signature.

A document may carry more than one row only if the flow sends it back through 用印 (each sealing is recorded);
verification uses the latest. The canonical bytes are kept beside the signature so a failed check can say which
elements changed; the check itself always signs-over the bytes recomputed from the live data, never these.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from oa.database import Base, UTCDateTime


class DocumentSeal(Base):
    __tablename__ = "document_seals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    unit_code: Mapped[str] = mapped_column(String(32))
    seal_name: Mapped[str] = mapped_column(String(100))  # the text of the seal, e.g. 象山县人民政府
    key_id: Mapped[str] = mapped_column(String(64))  # RFC 7638 thumbprint of the unit's seal key
    algorithm: Mapped[str] = mapped_column(String(16))
    sealed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 (hex) of the canonical bytes
    canonical: Mapped[str] = mapped_column(Text)
    signature: Mapped[str] = mapped_column(Text)  # detached compact JWS: <protected header>..<signature>
