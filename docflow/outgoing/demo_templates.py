"""Drafting templates for the demo county: the county government's three usual forms, and for every town, sub-district
and department a 文件 form and a 函 (letter) form, each with its own 代字 series.

Called by `oa.demo.load.load_demo` in the same transaction that creates the units, so a demo database always has
templates to draft from.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.outgoing.models import DocTemplate
from oa.org.models import Unit, UnitKind

_TOWN_KINDS = frozenset({UnitKind.TOWN, UnitKind.TOWNSHIP, UnitKind.SUBDISTRICT})


def _recipient(name: str, code: str | None = None) -> dict[str, str | None]:
    return {"unit_code": code, "name": name}


def _template(name: str, doc_type: str, mark: str, issuer: str, daizi: str, *, main: list[dict[str, Any]],
              copy: list[dict[str, Any]], printer: str, level: str = "不公开") -> dict[str, Any]:
    return {"name": name, "doc_type": doc_type, "issuer_mark": mark, "issuer_name": issuer, "daizi": daizi,
            "defaults": {"main_recipients": main, "copy_recipients": copy, "publication_level": level,
                         "printing_organ": printer}}


def county_templates(unit: Unit) -> list[dict[str, Any]]:
    towns = [_recipient("各镇乡人民政府、街道办事处")]
    departments = [_recipient("县政府各部门、各直属单位")]
    copy = [_recipient("县委办公室"), _recipient("县人大常委会办公室"), _recipient("县政协办公室")]
    office = "象山县人民政府办公室"
    return [
        _template("县政府发文", "通知", f"{unit.name}文件", unit.name, "象政发", main=towns + departments, copy=copy,
                  printer=office),
        _template("县政府办公室发文", "通知", f"{office}文件", office, "象政办发", main=towns + departments,
                  copy=copy, printer=office),
        _template("县政府函", "函", unit.name, unit.name, "象政函", main=[], copy=[], printer=office),
    ]


def local_templates(unit: Unit) -> list[dict[str, Any]]:
    """A town's or department's 文件 and 函, 代字 from the short name (石浦镇 → 石政发, 县教育局 → 象教育发)."""
    if unit.kind in _TOWN_KINDS:
        first = unit.short_name[0]
        series = f"{first}街" if unit.kind == UnitKind.SUBDISTRICT else f"{first}政"
        printer = f"{unit.short_name}党政办公室"
        main = [_recipient("各村（社区）、各办公室")]
        upward = [_recipient("象山县人民政府", "XSX")]
    else:
        core = unit.short_name.removeprefix("县").removesuffix("局")[:3]
        series = f"象{core}"
        printer = f"{unit.name}办公室"
        main = [_recipient("各科室、各直属单位")]
        upward = [_recipient("象山县人民政府", "XSX")]
    return [
        _template(f"{unit.short_name}文件", "通知", f"{unit.name}文件", unit.name, f"{series}发", main=main,
                  copy=[], printer=printer),
        _template(f"{unit.short_name}函", "函", unit.name, unit.name, f"{series}函", main=upward, copy=[],
                  printer=printer),
    ]


def templates_for(unit: Unit) -> Iterator[dict[str, Any]]:
    yield from (county_templates(unit) if unit.kind == UnitKind.COUNTY else local_templates(unit))


async def load_demo_templates(session: AsyncSession) -> int:
    """Add the demo templates to every unit that has none; return how many were added."""
    units = (await session.execute(select(Unit).order_by(Unit.id))).scalars().all()
    having = set((await session.execute(select(DocTemplate.unit_id).distinct())).scalars())
    added = 0
    for unit in units:
        if unit.id in having:
            continue
        for data in templates_for(unit):
            session.add(DocTemplate(unit_id=unit.id, **data))
            added += 1
    await session.flush()
    return added
