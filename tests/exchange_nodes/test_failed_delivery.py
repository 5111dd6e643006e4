"""A delivery that keeps failing ends as 发送失败 with the reason, visible to the sender; after the administrator
fixes the directory, 重新发送 delivers the same message (same id) to where the unit now lives."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from docflow.distribution.models import OutboxMessage
from docflow.exchange.directory import Directory, Node, export_directory
from docflow.exchange.signing import NodeKey
from oa.services import Services
from oa.settings import Settings
from tests.conftest import Client, free_port
from tests.exchange_nodes.conftest import NodeServer, load_demo, node_settings
from tests.incoming.helpers import Desks, deliveries, dispatch_notice, eventually, inbox, statuses


async def test_a_finally_failed_delivery_shows_its_reason_and_can_be_resent(settings: Settings, tmp_path: Path):
    services = Services.create(node_settings(settings, "node-a", settings.database_url, tmp_path / "a",
                                             OA_EXCHANGE_MAX_ATTEMPTS="2"))
    await load_demo(services)
    node = NodeServer(services)
    await node.start()
    clients: list[Client] = []

    def make_client() -> Client:
        clients.append(Client(base_url=node.url, timeout=30))
        return clients[-1]

    try:
        admin, desk = make_client(), Desks(make_client)
        await admin.sign_in("sysadmin")
        dead = Node("dead-node", "已停机的节点", f"http://127.0.0.1:{free_port()}", frozenset({"SPZ"}),
                    (NodeKey.generate().public(),))
        document = __import__("json").loads(export_directory(Directory((dead,))))
        assert (await admin.post("/api/exchange/directory/import", json={"directory": document})).status_code == 200

        doc_id = await dispatch_notice(desk)
        sender = await desk("xsx.registrar")
        seen = await eventually(lambda: deliveries(sender, doc_id), lambda d: d["SPZ"]["status"] == "failed")
        assert statuses(seen) == {"DDJD": "delivered", "SPZ": "failed", "XZZ": "delivered", "县委办公室": "offline"}
        assert seen["SPZ"]["status_label"] == "发送失败" and seen["SPZ"]["attempts"] == 2
        assert "网络错误" in seen["SPZ"]["reasons"][0] and seen["SPZ"]["last_error"]
        message_id = seen["SPZ"]["message_id"]

        drafter = await desk("xsx.drafter")
        assert (await drafter.post(f"/api/deliveries/{seen['SPZ']['id']}/resend")).status_code == 403
        assert (await sender.post(f"/api/deliveries/{seen['DDJD']['id']}/resend")).status_code == 409

        # 石浦镇 moves back to this node: the administrator removes the dead node, then resends.
        assert (await admin.delete("/api/exchange/nodes/dead-node")).status_code == 204
        assert (await sender.post(f"/api/deliveries/{seen['SPZ']['id']}/resend")).status_code == 204
        done = await eventually(lambda: deliveries(sender, doc_id), lambda d: d["SPZ"]["status"] == "delivered")
        assert done["SPZ"]["message_id"] == message_id and done["SPZ"]["reasons"] == []
        assert len(await inbox(await desk("spz.registrar"), "unsigned")) == 1
        async with services.sessions() as session:
            row = (await session.execute(select(OutboxMessage).where(OutboxMessage.message_id == message_id))
                   ).scalar_one()
        assert row.target_node_id == "node-a" and row.attempts == 1
    finally:
        for c in clients:
            await c.aclose()
        await node.stop()
        await services.close()
