"""Loading the demo county into an empty database, in one audited transaction."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from sqlalchemy import func, select

from docflow.outgoing.demo_templates import load_demo_templates
from oa.auth.passwords import check_password_rules
from oa.demo.county import ADMINS, COUNTY, DEMO_PASSWORD, UNITS, person_name, posts_for
from oa.org.models import Office, Person, PersonRole, Unit
from oa.uow import UnitOfWork


@dataclass(frozen=True)
class DemoLogin:
    username: str
    name: str
    unit: str
    position: str


@dataclass(frozen=True)
class DemoSummary:
    loaded: bool
    units: int
    people: int
    highlights: tuple[DemoLogin, ...]


HIGHLIGHT_USERS = ("sysadmin", "secadmin", "auditadmin", "xsx.drafter", "xsx.reviewer", "xsx.leader",
                   "xsx.registrar", "xsx.archivist", "zfb.drafter", "ddjd.registrar", "spz.registrar",
                   "czj.drafter")


@cache
def _demo_password_hash() -> str:
    """One Argon2id hash shared by all demo accounts, made with a light profile.

    The demo password is published in the README, so a costly hash protects nothing here, while every demo sign-in
    (by hand and in the test suite) would pay ~0.3 s for it. Accounts created through the API or `oa admin create`
    always get the full RFC 9106 profile of `oa.auth.passwords`.
    """
    check_password_rules(DEMO_PASSWORD)
    return PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(DEMO_PASSWORD)


async def load_demo(uow: UnitOfWork) -> DemoSummary:
    session = uow.session
    if (await session.execute(select(func.count()).select_from(Unit))).scalar_one() > 0:
        return await _summary(uow, loaded=False)
    password_hash = _demo_password_hash()
    county_id = 0
    index = 0
    for demo_unit in UNITS:
        unit = Unit(code=demo_unit.code, name=demo_unit.name, short_name=demo_unit.short_name, kind=demo_unit.kind,
                    parent_id=None if demo_unit is COUNTY else county_id)
        session.add(unit)
        await session.flush()
        if demo_unit is COUNTY:
            county_id = unit.id
        offices = [Office(unit_id=unit.id, code=code, name=name) for code, name in demo_unit.offices]
        session.add_all(offices)
        await session.flush()
        for post in posts_for(demo_unit):
            index += 1
            session.add(Person(
                username=f"{demo_unit.code.lower()}.{post.suffix}", name=person_name(index), unit_id=unit.id,
                office_id=offices[post.office % len(offices)].id, position=post.position,
                password_hash=password_hash, roles=[PersonRole(role=post.role)],
            ))
        if demo_unit is COUNTY:
            info_centre = next(o for o in offices if o.code == "XXZX")
            for username, position, role in ADMINS:
                index += 1
                session.add(Person(username=username, name=person_name(index), unit_id=unit.id,
                                   office_id=info_centre.id, position=position, password_hash=password_hash,
                                   roles=[PersonRole(role=role)]))
    await session.flush()
    await load_demo_templates(session)
    summary = await _summary(uow, loaded=True)
    uow.audit("demo.load", target_type="county", target_id=COUNTY.code,
              detail={"units": summary.units, "people": summary.people})
    return summary


async def _summary(uow: UnitOfWork, *, loaded: bool) -> DemoSummary:
    session = uow.session
    units = (await session.execute(select(func.count()).select_from(Unit))).scalar_one()
    people = (await session.execute(select(func.count()).select_from(Person))).scalar_one()
    rows = (
        await session.execute(
            select(Person.username, Person.name, Unit.short_name, Person.position)
            .join(Unit, Unit.id == Person.unit_id)
            .where(Person.username.in_(HIGHLIGHT_USERS))
        )
    ).all()
    order = {u: i for i, u in enumerate(HIGHLIGHT_USERS)}
    logins = sorted((DemoLogin(u, n, s, p or "") for u, n, s, p in rows), key=lambda d: order[d.username])
    return DemoSummary(loaded, units, people, tuple(logins))
