"""Taking the next 件号 of a class (全宗, 门类, 年度, 保管期限, 机构) inside the accepting transaction.

Like the 发文字号 counter: the counter row is created if missing (INSERT … ON CONFLICT DO NOTHING) and incremented
with one UPDATE … RETURNING, whose row lock holds every other archivist accepting into the same class until this
transaction ends. Numbers are therefore handed out in commit order, with no gap (a rolled-back accept rolls its
increment back too) and no duplicate; the unique 档号 column is the last line of defence.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from archive.checks.archival_code import ArchivalClass, ArchivalCode, ArchivalCodeError
from archive.keeping.models import ArchivalCounter

CATEGORY_DOCUMENTS = "WS"  # 文书


async def take_archival_code(session: AsyncSession, archival_class: ArchivalClass) -> ArchivalCode:
    c = archival_class
    key = {"fonds": c.fonds, "category": c.category, "year": c.year, "retention": c.retention.value,
           "organisation": c.organisation}
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    await session.execute(insert(ArchivalCounter).values(**key, last_item=0).on_conflict_do_nothing(
        index_elements=list(key)))
    item = (await session.execute(
        update(ArchivalCounter)
        .where(*(getattr(ArchivalCounter, name) == value for name, value in key.items()))
        .values(last_item=ArchivalCounter.last_item + 1)
        .returning(ArchivalCounter.last_item))).scalar_one()
    if item > 9999:
        raise ArchivalCodeError(f"{c.fonds}-{c.category}·{c.year}-{c.retention.value}-{c.organisation} 的件号已用完")
    return ArchivalCode(archival_class, item)
