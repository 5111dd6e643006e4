"""The 收文 register number: one gapless counter per receiving unit and year, e.g. 收文〔2026〕12号.

Like the 发文字号 counter: the counter row is incremented with one UPDATE … RETURNING inside the registering
transaction, so numbers follow commit order without gap or repeat, and a rollback gives the number back. The
(unit, year, seq) unique constraint on incoming documents is the last line of defence.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.incoming.models import IncomingCounter

CHINA = ZoneInfo("Asia/Shanghai")


def format_register_number(year: int, seq: int) -> str:
    return f"收文〔{year}〕{seq}号"


async def take_register_number(session: AsyncSession, *, unit_id: int, now: datetime) -> tuple[int, int, str]:
    """(year, seq, text) of the next 收文 number of the unit, in the caller's transaction."""
    year = now.astimezone(CHINA).year  # the register year is China's, not UTC's
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    await session.execute(
        insert(IncomingCounter).values(unit_id=unit_id, year=year, last_seq=0)
        .on_conflict_do_nothing(index_elements=["unit_id", "year"])
    )
    seq: int = (
        await session.execute(
            update(IncomingCounter).where(IncomingCounter.unit_id == unit_id, IncomingCounter.year == year)
            .values(last_seq=IncomingCounter.last_seq + 1).returning(IncomingCounter.last_seq)
        )
    ).scalar_one()
    return year, seq, format_register_number(year, seq)
