"""The stored node directory: the other nodes (their URL, units and JWKS) and this node's own entry.

This node's signing keys never sit here: they live in `OA_KEYS_DIR/node/` (see `keystore.py`) and its
published JWKS is computed from them whenever the directory is read or exported.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from oa.database import Base, UTCDateTime


class ExchangeNode(Base):
    __tablename__ = "exchange_nodes"

    node_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    base_url: Mapped[str] = mapped_column(String(500))
    units: Mapped[list[str]] = mapped_column(JSON)
    jwks: Mapped[dict[str, Any]] = mapped_column(JSON)
    is_local: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
