"""Loading the demo county into an empty database, in one audited transaction."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from sqlalchemy import func, insert, select

from docflow.outgoing.demo_templates import load_demo_templates
from oa.auth.passwords import check_password_rules
from oa.demo.county import ADMINS, COUNTY, DEMO_PASSWORD, UNITS, person_name, posts_for
from oa.org.models import Office, Person, PersonRole, Unit
from oa.org.roles import Role
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
    # A handful of set-based INSERT … RETURNING statements rather than one round trip per row: the test suite
    # loads the demo county for almost every test.
    county = await session.execute(
        insert(Unit).returning(Unit.id),
        [{"code": COUNTY.code, "name": COUNTY.name, "short_name": COUNTY.short_name, "kind": COUNTY.kind,
          "parent_id": None, "created_at": uow.now}],
    )
    county_id = county.scalar_one()
    others = [u for u in UNITS if u is not COUNTY]
    unit_rows = (await session.execute(
        insert(Unit).returning(Unit.id, Unit.code),
        [{"code": u.code, "name": u.name, "short_name": u.short_name, "kind": u.kind, "parent_id": county_id,
          "created_at": uow.now} for u in others],
    )).all()
    unit_ids = {code: uid for uid, code in unit_rows} | {COUNTY.code: county_id}
    office_rows = (await session.execute(
        insert(Office).returning(Office.id, Office.unit_id, Office.code),
        [{"unit_id": unit_ids[u.code], "code": code, "name": name} for u in UNITS for code, name in u.offices],
    )).all()
    office_ids = {(unit_id, code): oid for oid, unit_id, code in office_rows}
    people: list[dict[str, object]] = []
    roles: list[Role] = []
    for demo_unit in UNITS:
        uid = unit_ids[demo_unit.code]
        for post in posts_for(demo_unit):
            office_code = demo_unit.offices[post.office % len(demo_unit.offices)][0]
            people.append({"username": f"{demo_unit.code.lower()}.{post.suffix}", "unit_id": uid,
                           "office_id": office_ids[(uid, office_code)], "position": post.position})
            roles.append(post.role)
        if demo_unit is COUNTY:
            for username, position, role in ADMINS:
                people.append({"username": username, "unit_id": uid, "office_id": office_ids[(uid, "XXZX")],
                               "position": position})
                roles.append(role)
    for index, row in enumerate(people, start=1):
        row.update(name=person_name(index), password_hash=password_hash, active=True, failed_logins=0,
                   created_at=uow.now)
    person_rows = (await session.execute(insert(Person).returning(Person.id, Person.username), people)).all()
    person_ids = {username: pid for pid, username in person_rows}
    await session.execute(
        insert(PersonRole),
        [{"person_id": person_ids[str(row["username"])], "role": role}
         for row, role in zip(people, roles, strict=True)],
    )
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
