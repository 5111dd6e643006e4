"""The catalogue through the real app on both databases: search by every field and by full text (normalised, so
full-width digits match), who sees what (public items for the unit's staff, everything for its archivist, every
unit for the county archives), and an audit record for every read and download, refused ones included."""

from __future__ import annotations

import hashlib
from typing import Any

from tests.archive_flow.helpers import audit_rows, decide, dispatched_notice, transfer
from tests.docflow.helpers import Desk

FIRE_BODY = [{"level": 0, "text": "各林区要落实巡山护林制度，严防森林火灾。"}]


async def two_accepted_items(desk: Desk) -> tuple[dict[str, Any], dict[str, Any]]:
    registrar, archivist = await desk("xsx.registrar"), await desk("xsx.archivist")
    flood = await dispatched_notice(desk, publication_level="公开")
    fire = await dispatched_notice(desk, "关于开展冬季森林防火检查的通知", body=FIRE_BODY)
    accepted = []
    for doc in (flood, fire):
        item = await transfer(registrar, doc)
        accepted.append(await decide(archivist, item["id"], "accept"))
    return accepted[0], accepted[1]


async def titles(client: Any, **params: Any) -> set[str]:
    response = await client.get("/api/archive/items", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["items"])
    return {item["title"] for item in body["items"]}


FLOOD, FIRE = "关于做好2026年防汛防台工作的通知", "关于开展冬季森林防火检查的通知"


async def test_the_catalogue_finds_items_by_each_field_and_by_full_text(demo: Any, desk: Desk) -> None:
    flood, fire = await two_accepted_items(desk)
    archivist = await desk("xsx.archivist")
    assert await titles(archivist) == {FLOOD, FIRE}
    assert await titles(archivist, q="巡山护林") == {FIRE}  # body text
    assert await titles(archivist, q="２０２６年 防汛") == {FLOOD}  # full-width digits and a stray space
    assert await titles(archivist, q="第一责任人") == {FLOOD}
    assert await titles(archivist, q="100%") == set()  # LIKE wildcards are taken literally
    assert await titles(archivist, title="森林") == {FIRE}
    assert await titles(archivist, doc_number=flood["doc_number"]) == {FLOOD}
    assert await titles(archivist, responsible="象山县人民政府") == {FLOOD, FIRE}
    assert await titles(archivist, archival_code=fire["archival_code"]) == {FIRE}
    assert await titles(archivist, year=flood["year"], retention="D30", unit_code="xsx") == {FLOOD, FIRE}
    assert await titles(archivist, year=flood["year"] - 1) == set()
    assert await titles(archivist, retention="Y") == set()
    codes = sorted([flood["archival_code"], fire["archival_code"]])
    assert [code[-4:] for code in codes] == ["0001", "0002"]


async def test_staff_see_only_public_items_of_their_unit_and_the_county_archives_sees_every_unit(
        demo: Any, desk: Desk) -> None:
    _, fire = await two_accepted_items(desk)
    assert await titles(await desk("xsx.drafter")) == {FLOOD}
    assert await titles(await desk("ddjd.drafter")) == set()
    assert await titles(await desk("ddjd.archivist")) == set()
    assert await titles(await desk("dag.archivist")) == {FLOOD, FIRE}
    drafter = await desk("xsx.drafter")
    assert (await drafter.get(f"/api/archive/items/{fire['id']}")).status_code == 403
    assert (await drafter.get(f"/api/archive/items/{fire['id']}/package")).status_code == 403
    refused = await audit_rows(demo, fire["id"], "archive.item.read")
    assert [row.detail.get("refused") for row in refused] == [True, True]


async def test_every_read_and_download_of_an_item_leaves_an_audit_record(demo: Any, desk: Desk) -> None:
    flood, _ = await two_accepted_items(desk)
    drafter = await desk("xsx.drafter")
    view = (await drafter.get(f"/api/archive/items/{flood['id']}")).json()
    assert view["archival_code"] == flood["archival_code"]
    assert [p["kind"] for p in view["packages"]] == ["transferred", "locked"]
    assert [h["action"] for h in view["history"]] == ["archive.item.transfer", "archive.item.accept"]
    assert view["check_report"]["passed"] is True
    response = await drafter.get(f"/api/archive/items/{flood['id']}/package")
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == view["package_sha256"]
    assert flood["archival_code"].encode() in response.headers["content-disposition"].encode() or \
        "filename*=UTF-8''" in response.headers["content-disposition"]
    reads = await audit_rows(demo, flood["id"], "archive.item.read")
    downloads = await audit_rows(demo, flood["id"], "archive.item.download")
    assert [r.actor_name for r in reads] and all(r.detail.get("refused") is None for r in reads)
    assert len(reads) == 1 and len(downloads) == 1
    assert downloads[0].detail["sha256"] == view["package_sha256"]
    await drafter.get(f"/api/archive/items/{flood['id']}")
    assert len(await audit_rows(demo, flood["id"], "archive.item.read")) == 2
