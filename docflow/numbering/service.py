"""Taking the next 发文字号 inside the caller's transaction.

The counter row is incremented with one UPDATE … RETURNING: the row lock it takes holds other registrars of the
same series until this transaction ends, so numbers are handed out in commit order with no gap and no duplicate;
if the transaction rolls back, so does the increment. The (organ, series, year, seq) unique constraint is the last
line of defence.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.numbering.models import IssuedNumber, NumberCounter, NumberStatus
from docflow.rules.doc_number import DocNumber, format_doc_number

CHINA = ZoneInfo("Asia/Shanghai")


def registration_year(now: datetime) -> int:
    """The year of the 发文字号 is the year of registration in China, not in UTC (31 Dec 20:00 UTC is 1 Jan)."""
    return now.astimezone(CHINA).year


async def take_number(session: AsyncSession, *, unit_id: int, daizi: str, document_id: int, now: datetime) -> str:
    year = registration_year(now)
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    await session.execute(
        insert(NumberCounter)
        .values(unit_id=unit_id, daizi=daizi, year=year, last_seq=0)
        .on_conflict_do_nothing(index_elements=["unit_id", "daizi", "year"])
    )
    seq = (
        await session.execute(
            update(NumberCounter)
            .where(NumberCounter.unit_id == unit_id, NumberCounter.daizi == daizi, NumberCounter.year == year)
            .values(last_seq=NumberCounter.last_seq + 1)
            .returning(NumberCounter.last_seq)
        )
    ).scalar_one()
    text = format_doc_number(DocNumber(daizi, year, seq))
    session.add(IssuedNumber(unit_id=unit_id, daizi=daizi, year=year, seq=seq, text=text, document_id=document_id,
                             status=NumberStatus.ASSIGNED, issued_at=now))
    return text


async def void_numbers_of(session: AsyncSession, document_id: int, reason: str, now: datetime) -> list[str]:
    """Record a cancelled document's number as voided (作废): it stays in the register and is never reissued."""
    rows = (
        await session.execute(
            select(IssuedNumber).where(IssuedNumber.document_id == document_id,
                                       IssuedNumber.status == NumberStatus.ASSIGNED)
        )
    ).scalars().all()
    for row in rows:
        row.status = NumberStatus.VOIDED
        row.reason = reason
        row.voided_at = now
    return [row.text for row in rows]
