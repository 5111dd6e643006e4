"""Directory management through the API: only the system administrator, and edits that would break the
directory's rules (one unit on one node, valid documents) are refused with what to fix, changing nothing."""

from __future__ import annotations

import json

from docflow.exchange.directory import Directory, Node, export_directory
from docflow.exchange.signing import NodeKey


def node(node_id: str, units: set[str], port: int = 9) -> Node:
    return Node(node_id, f"节点 {node_id}", f"http://127.0.0.1:{port}", frozenset(units),
                (NodeKey.generate().public(),))


def document(*nodes: Node) -> dict:  # type: ignore[type-arg]
    loaded: dict = json.loads(export_directory(Directory(nodes)))  # type: ignore[type-arg]
    return loaded


async def test_only_the_system_administrator_manages_the_directory(make_client, server):
    registrar, auditor = make_client(), make_client()
    await registrar.sign_in("xsx.registrar")
    await auditor.sign_in("auditadmin")
    for client in (registrar, auditor):
        assert (await client.get("/api/exchange/directory")).status_code == 403
        assert (await client.post("/api/exchange/directory/import",
                                  json={"directory": document(node("other", {"SPZ"}))})).status_code == 403
        assert (await client.delete("/api/exchange/nodes/other")).status_code == 403


async def test_this_node_hosts_every_unit_until_another_node_claims_some(make_client, server):
    admin = make_client()
    await admin.sign_in("sysadmin")
    before = (await admin.get("/api/exchange/directory")).json()
    assert [n["node_id"] for n in before["nodes"]] == ["xiangshan"]
    assert {"XSX", "SPZ", "DDJD"} <= set(before["nodes"][0]["units"])
    assert before["nodes"][0]["jwks"]["keys"][0]["kid"]

    imported = await admin.post("/api/exchange/directory/import", json={"directory": document(node("other", {"SPZ"}))})
    assert imported.status_code == 200 and imported.json() == {"nodes": ["other"]}
    after = {n["node_id"]: n for n in (await admin.get("/api/exchange/directory")).json()["nodes"]}
    assert after["other"]["units"] == ["SPZ"] and "SPZ" not in after["xiangshan"]["units"]

    # This node claims SPZ explicitly while "other" hosts it: refused, nothing changed.
    units = [*after["xiangshan"]["units"], "SPZ"]
    clash = await admin.put("/api/exchange/local-node", json={"name": "本节点", "base_url": "http://127.0.0.1:8000",
                                                             "units": units})
    assert clash.status_code == 422 and "SPZ" in clash.json()["detail"]
    assert {n["node_id"]: n for n in (await admin.get("/api/exchange/directory")).json()["nodes"]} == after

    bad = await admin.post("/api/exchange/directory/import", json={"directory": {"format": "x", "version": 1,
                                                                                 "nodes": []}})
    assert bad.status_code == 422 and "目录格式" in bad.json()["detail"]
    assert (await admin.delete("/api/exchange/nodes/xiangshan")).status_code == 404  # never this node
    assert (await admin.delete("/api/exchange/nodes/other")).status_code == 204
    assert [n["node_id"] for n in (await admin.get("/api/exchange/directory")).json()["nodes"]] == ["xiangshan"]
