"""Who may do what to which unit's data: every refusal is a 403 problem and changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from oa.audit.models import AuditRecord
from oa.org.models import Unit


async def unit_id(client, code: str) -> int:
    units = (await client.get("/api/units", params={"q": code})).json()["items"]
    return next(u["id"] for u in units if u["code"] == code)


async def test_a_person_lists_the_people_of_their_own_unit_only(client):
    me = await client.sign_in("ddjd.drafter")
    own = (await client.get("/api/people")).json()
    assert own["total"] == 7 and {p["unit_id"] for p in own["items"]} == {me["unit"]["id"]}
    other = await client.get("/api/people", params={"unit_id": await unit_id(client, "SPZ")})
    assert other.status_code == 403
    assert other.json()["detail"] == "只能查看本单位的人员"


async def test_business_users_cannot_manage_units_or_people(client):
    await client.sign_in("xsx.leader")
    created = await client.post("/api/units", json={"code": "NEW", "name": "新单位名称", "short_name": "新单位",
                                                    "kind": "town"})
    assert created.status_code == 403
    assert "系统管理员" in created.json()["detail"]


async def test_the_system_administrator_manages_units_and_people_but_not_roles_or_audit(client):
    await client.sign_in("sysadmin")
    unit = await client.post("/api/units", json={"code": "HTX", "name": "象山县海塘乡人民政府", "short_name": "海塘乡",
                                                 "kind": "township", "parent_id": await unit_id(client, "XSX")})
    assert unit.status_code == 201, unit.text
    office = await client.post(f"/api/units/{unit.json()['id']}/offices", json={"code": "DZB", "name": "党政办公室"})
    assert office.status_code == 201
    person = await client.post("/api/people", json={
        "username": "htx.drafter", "name": "新同事", "unit_id": unit.json()["id"],
        "office_id": office.json()["id"], "position": "科员", "password": "first-pass-1"})
    assert person.status_code == 201, person.text
    assert person.json()["roles"] == []
    roles = await client.put(f"/api/people/{person.json()['id']}/roles", json={"roles": ["drafter"]})
    assert roles.status_code == 403
    assert (await client.get("/api/audit")).status_code == 403


async def test_the_security_administrator_grants_roles_within_the_separation_of_duties(client):
    await client.sign_in("secadmin")
    people = (await client.get("/api/people", params={"q": "xsx.drafter2"})).json()["items"]
    pid = people[0]["id"]
    granted = await client.put(f"/api/people/{pid}/roles", json={"roles": ["drafter", "reviewer"]})
    assert granted.status_code == 200 and granted.json()["roles"] == ["drafter", "reviewer"]
    mixed = await client.put(f"/api/people/{pid}/roles", json={"roles": ["drafter", "sysadmin"]})
    assert mixed.status_code == 422 and "三员分立" in mixed.json()["detail"]
    two_admins = await client.put(f"/api/people/{pid}/roles", json={"roles": ["sysadmin", "auditadmin"]})
    assert two_admins.status_code == 422
    me = (await client.get("/api/me")).json()
    assert (await client.put(f"/api/people/{me['id']}/roles", json={"roles": []})).status_code == 403


async def test_only_the_audit_administrator_reads_the_audit_trail(make_client):
    for username in ("sysadmin", "secadmin", "xsx.leader", "xsx.archivist"):
        c = make_client()
        await c.sign_in(username)
        assert (await c.get("/api/audit")).status_code == 403, username
    auditor = make_client()
    await auditor.sign_in("auditadmin")
    page = await auditor.get("/api/audit", params={"action": "auth.sign_in", "page_size": 5})
    assert page.status_code == 200
    assert page.json()["total"] >= 5 and len(page.json()["items"]) == 5
    verify = (await auditor.get("/api/audit/verify")).json()
    assert verify["ok"] is True and verify["checked"] >= 6


async def test_a_refused_change_writes_nothing(client, server):
    await client.sign_in("xsx.drafter")
    services = server.app.state.services
    async with services.sessions() as session:
        units_before = (await session.execute(select(func.count()).select_from(Unit))).scalar_one()
        audit_before = (await session.execute(select(func.count()).select_from(AuditRecord))).scalar_one()
    response = await client.post("/api/units", json={"code": "NOPE", "name": "不应出现", "short_name": "不应",
                                                     "kind": "town"})
    assert response.status_code == 403
    async with services.sessions() as session:
        assert (await session.execute(select(func.count()).select_from(Unit))).scalar_one() == units_before
        assert (await session.execute(select(func.count()).select_from(AuditRecord))).scalar_one() == audit_before
