"""Counters and the register of every number issued or voided."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from oa.database import Base, UTCDateTime, str_enum


class NumberCounter(Base):
    __tablename__ = "number_counters"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    daizi: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class NumberStatus(StrEnum):
    ASSIGNED = "assigned"
    VOIDED = "voided"  # the document was abandoned after numbering: the number is recorded, never reissued


class IssuedNumber(Base):
    __tablename__ = "issued_numbers"
    __table_args__ = (UniqueConstraint("unit_id", "daizi", "year", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    daizi: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(40))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    status: Mapped[NumberStatus] = mapped_column(str_enum(NumberStatus, "number_status"))
    reason: Mapped[str] = mapped_column(String(500), default="")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
