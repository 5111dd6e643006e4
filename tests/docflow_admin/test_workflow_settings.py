"""Per-unit workflow settings through the HTTP API: read by the unit, set by the system administrator, checked by
the engine's own definition rules; new documents take the new flow, documents in flight keep theirs."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from oa.org.models import Unit
from tests.docflow.helpers import act, person_id
from tests.docflow_attachments.helpers import Desk, audit_of, draft

SHORT_FLOW = {
    "name": "简易发文流程",
    "steps": [
        {"kind": "拟稿"},
        {"kind": "会签", "optional": True, "deadline_hours": 24, "policy": {"kind": "quorum", "quorum": 2}},
        {"kind": "签发", "role": "签发人", "deadline_hours": 24},
        {"kind": "登记", "role": "登记员"},
        {"kind": "用印", "role": "用印员"},
        {"kind": "核发", "role": "登记员"},
    ],
}


async def unit_id(services: Any, code: str) -> int:
    async with services.sessions() as session:
        return int((await session.execute(select(Unit.id).where(Unit.code == code))).scalar_one())


async def test_the_standard_flow_shows_until_the_administrator_sets_the_units_own(make_client, demo):
    desk = Desk(make_client)
    xsx = await unit_id(demo, "XSX")
    shown = (await (await desk("xsx.drafter")).get(f"/api/units/{xsx}/workflow")).json()
    assert shown["customised"] is False and shown["updated_at"] is None
    assert [s["kind"] for s in shown["steps"]] == ["拟稿", "核稿", "会签", "签发", "复核", "登记", "用印", "核发"]
    assert (await (await desk("spz.drafter")).get(f"/api/units/{xsx}/workflow")).status_code == 403

    admin = await desk("sysadmin")
    saved = await admin.put(f"/api/units/{xsx}/workflow", json=SHORT_FLOW)
    assert saved.status_code == 200, saved.text
    again = (await admin.get(f"/api/units/{xsx}/workflow")).json()
    assert again == saved.json() and again["customised"] is True and again["name"] == "简易发文流程"
    countersign = next(s for s in again["steps"] if s["kind"] == "会签")
    assert countersign["policy"] == {"kind": "quorum", "quorum": 2} and countersign["optional"] is True
    [record] = await audit_of(demo, "docflow.workflow.update")
    assert record.detail["before"] is None and len(record.detail["after"]["steps"]) == 6


@pytest.mark.parametrize(("change", "needle"), [
    (lambda steps: [s for s in steps if s["kind"] != "签发"], "流程缺少必经环节：签发"),
    (lambda steps: [steps[2], steps[0], *steps[3:]], "环节顺序必须符合"),
    (lambda steps: [*steps[:2], {**steps[2], "optional": True}, *steps[3:]], "必经环节，不能设为可选"),
    (lambda steps: [steps[0], {**steps[1], "policy": {"kind": "quorum", "quorum": 0}}, *steps[2:]], "法定人数"),
    (lambda steps: [*steps[:2], {**steps[2], "role": "局长"}, *steps[3:]], "未知角色“局长”"),
    (lambda steps: [*steps[:2], {**steps[2], "people": [999_999]}, *steps[3:]], "999999"),
    (lambda steps: [*steps, {"kind": "拟稿"}], "同一环节"),
], ids=["missing-signoff", "order", "optional-signoff", "quorum", "role", "person", "twice"])
async def test_bad_definitions_are_refused_with_the_rules_own_message(make_client, demo, change, needle):
    desk = Desk(make_client)
    xsx = await unit_id(demo, "XSX")
    admin = await desk("sysadmin")
    refused = await admin.put(f"/api/units/{xsx}/workflow", json={**SHORT_FLOW, "steps": change(SHORT_FLOW["steps"])})
    assert refused.status_code == 422 and needle in refused.json()["detail"], refused.text
    assert (await admin.get(f"/api/units/{xsx}/workflow")).json()["customised"] is False
    assert await audit_of(demo, "docflow.workflow.update") == []


async def test_only_the_system_administrator_changes_a_workflow(make_client, demo):
    desk = Desk(make_client)
    xsx = await unit_id(demo, "XSX")
    for username in ("xsx.leader", "xsx.registrar", "secadmin"):
        refused = await (await desk(username)).put(f"/api/units/{xsx}/workflow", json=SHORT_FLOW)
        assert refused.status_code == 403, username
    assert (await (await desk("sysadmin")).put("/api/units/999999/workflow", json=SHORT_FLOW)).status_code == 404


async def test_new_documents_take_the_new_flow_and_documents_in_flight_keep_theirs(make_client, demo):
    desk = Desk(make_client)
    drafter = await desk("xsx.drafter")
    before = await draft(desk)
    assert (await (await desk("sysadmin")).put(f"/api/units/{await unit_id(demo, 'XSX')}/workflow",
                                               json=SHORT_FLOW)).status_code == 200
    after = await draft(desk, title="关于做好2026年森林防火工作的通知")

    assert (await act(drafter, before, "submit"))["state"] == "in_review"  # the standard flow's 核稿
    leader = await person_id(drafter, "xsx.leader")
    view = await act(drafter, after, "submit", skip=["会签"], next_holders=[leader])
    assert view["state"] == "awaiting_signoff"  # no 核稿 in the new flow
