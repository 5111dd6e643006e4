"""核发 of a document whose attachments carry media-type parameters (a .txt is stored as text/plain; charset=utf-8)."""

from __future__ import annotations

import asyncio

from tests.docflow.helpers import Desk, People, act, to_register
from tests.docflow_attachments.helpers import upload


async def test_a_document_with_a_text_attachment_is_dispatched_and_arrives_with_it(server, make_client):
    services = server.app.state.services
    people = await People.load(services)
    desk = Desk(make_client)
    doc_id = await to_register(desk, people)
    registrar = await desk("xsx.registrar")
    # The registrar holds the document now; attachments may still be added before 用印.
    await upload(registrar, doc_id, "附件一：防汛责任人名单\n张三 13800000000\n".encode(), "名单.txt", "防汛责任人名单")
    await act(registrar, doc_id, "assign_number")
    await act(registrar, doc_id, "approve")
    await act(registrar, doc_id, "seal")
    view = await act(registrar, doc_id, "dispatch", opinion="核发")
    assert view["state"] == "dispatched"
    town = await desk("ddjd.registrar")
    for _ in range(100):  # the outbox worker delivers right after the commit
        items = (await town.get("/api/incoming", params={"box": "unsigned"})).json()["items"]
        if items:
            break
        await asyncio.sleep(0.1)
    assert [i["title"] for i in items] == [view["content"]["title"]]
