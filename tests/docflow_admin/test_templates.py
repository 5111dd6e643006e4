"""Drafting templates through the HTTP API: the demo county's, kept by each unit's registrar, applied to new drafts."""

from __future__ import annotations

from typing import Any

from tests.docflow.helpers import notice
from tests.docflow_attachments.helpers import Desk, audit_of

NEW = {
    "name": "县政府通告", "doc_type": "通告", "issuer_mark": "象山县人民政府", "issuer_name": "象山县人民政府",
    "daizi": "象政告", "main_recipients": [{"unit_code": "DDJD", "name": "丹东街道"}],
    "copy_recipients": [{"unit_code": None, "name": "县委办公室"}], "publication_level": "依申请公开",
    "printing_organ": "象山县人民政府办公室",
}


async def templates(client: Any) -> list[dict[str, Any]]:
    response = await client.get("/api/templates")
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_every_demo_unit_drafts_from_its_own_templates(make_client, demo):
    desk = Desk(make_client)
    county = {t["name"]: t for t in await templates(await desk("xsx.drafter"))}
    assert list(county) == ["县政府发文", "县政府办公室发文", "县政府函"]
    assert (county["县政府发文"]["issuer_mark"], county["县政府发文"]["daizi"]) == ("象山县人民政府文件", "象政发")
    assert (county["县政府办公室发文"]["issuer_mark"], county["县政府办公室发文"]["daizi"]) == (
        "象山县人民政府办公室文件", "象政办发")
    assert (county["县政府函"]["doc_type"], county["县政府函"]["issuer_mark"]) == ("函", "象山县人民政府")
    town = {t["name"]: t["daizi"] for t in await templates(await desk("spz.drafter"))}
    assert town == {"石浦镇文件": "石政发", "石浦镇函": "石政函"}
    assert (await (await desk("sysadmin")).get("/api/templates")).status_code == 403


async def test_the_units_registrar_keeps_templates_and_nobody_else_does(make_client, demo):
    desk = Desk(make_client)
    registrar = await desk("xsx.registrar")
    for outsider in ("xsx.drafter", "sysadmin"):
        refused = await (await desk(outsider)).post("/api/templates", json=NEW)
        assert refused.status_code == 403 and "文书" in refused.json()["detail"]
    created = await registrar.post("/api/templates", json=NEW)
    assert created.status_code == 201, created.text
    template = created.json()
    assert template["main_recipients"] == NEW["main_recipients"] and template["publication_level"] == "依申请公开"
    assert (await registrar.post("/api/templates", json=NEW)).status_code == 409
    unknown = await registrar.post("/api/templates", json={**NEW, "name": "另一个",
                                                            "main_recipients": [{"unit_code": "NOPE", "name": "无"}]})
    assert unknown.status_code == 422 and "NOPE" in unknown.json()["detail"]
    assert (await registrar.post("/api/templates", json={**NEW, "name": "拉丁", "daizi": "XZF"})).status_code == 422

    patched = await registrar.patch(f"/api/templates/{template['id']}",
                                    json={"name": "县政府通告（新）", "copy_recipients": []})
    assert patched.status_code == 200, patched.text
    assert (patched.json()["name"], patched.json()["copy_recipients"]) == ("县政府通告（新）", [])
    assert patched.json()["main_recipients"] == NEW["main_recipients"]  # fields not sent stay as they were
    cleared = await registrar.patch(f"/api/templates/{template['id']}", json={"daizi": None})
    assert cleared.status_code == 422
    other = await (await desk("spz.registrar")).patch(f"/api/templates/{template['id']}", json={"name": "夺走"})
    assert other.status_code == 404

    [create] = await audit_of(demo, "docflow.template.create")
    [change] = await audit_of(demo, "docflow.template.update")
    assert create.detail["after"]["name"] == "县政府通告"
    assert (change.detail["before"]["name"], change.detail["after"]["name"]) == ("县政府通告", "县政府通告（新）")


async def test_a_draft_takes_the_templates_defaults_only_where_the_drafter_left_them_out(make_client, demo):
    desk = Desk(make_client)
    template = (await (await desk("xsx.registrar")).post("/api/templates", json=NEW)).json()
    drafter = await desk("xsx.drafter")
    bare = {k: v for k, v in notice().items()
            if k not in {"main_recipients", "copy_recipients", "publication_level", "printing_organ"}}
    made = await drafter.post("/api/documents", json={"template_id": template["id"], "content": bare})
    assert made.status_code == 201, made.text
    content = made.json()["content"]
    assert content["main_recipients"] == NEW["main_recipients"]
    assert content["copy_recipients"] == NEW["copy_recipients"]
    assert (content["publication_level"], content["printing_organ"]) == ("依申请公开", "象山县人民政府办公室")

    own = {**bare, "main_recipients": [{"unit_code": "SPZ", "name": "石浦镇"}], "publication_level": "公开"}
    mine = (await drafter.post("/api/documents", json={"template_id": template["id"], "content": own})).json()
    assert mine["content"]["main_recipients"] == own["main_recipients"]
    assert mine["content"]["publication_level"] == "公开"
    assert mine["content"]["copy_recipients"] == NEW["copy_recipients"]

    town_template = (await templates(await desk("spz.drafter")))[0]
    foreign = await drafter.post("/api/documents", json={"template_id": town_template["id"], "content": bare})
    assert foreign.status_code == 422 and "模板" in foreign.json()["detail"]
