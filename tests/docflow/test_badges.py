"""The workbench badges over the event stream follow the lists they stand for."""

from __future__ import annotations

import asyncio
import json

from websockets.asyncio.client import connect

from tests.docflow.helpers import act, notice


async def badges_until(ws, predicate, timeout: float = 15) -> dict:
    async def read() -> dict:
        while True:
            frame = json.loads(await ws.recv())
            if frame["type"] == "badges" and predicate(frame["data"]):
                return frame["data"]

    return await asyncio.wait_for(read(), timeout)


async def test_a_new_task_raises_the_holders_todo_badge_live(server, make_client):
    drafter, reviewer = make_client(), make_client()
    await drafter.sign_in("xsx.drafter")
    token = (await reviewer.post("/api/auth/token", json={"username": "xsx.reviewer", "password": "demo12345"})
             ).json()["access_token"]
    ws_url = server.url.replace("http://", "ws://") + "/ws/events"
    async with connect(ws_url, additional_headers={"Authorization": f"Bearer {token}"}, proxy=None) as ws:
        first = await badges_until(ws, lambda data: "todo" in data)
        assert first == {"todo": 0, "overdue": 0, "to_read": 0, "unsigned": 0}
        created = (await drafter.post("/api/documents", json={"content": notice()})).json()
        await act(drafter, created["id"], "submit")
        raised = await badges_until(ws, lambda data: data.get("todo") == 1)
        assert raised["todo"] == 1


async def test_administrators_get_no_document_badges(server, client):
    token = (await client.post("/api/auth/token", json={"username": "sysadmin", "password": "demo12345"})
             ).json()["access_token"]
    ws_url = server.url.replace("http://", "ws://") + "/ws/events"
    async with connect(ws_url, additional_headers={"Authorization": f"Bearer {token}"}, proxy=None) as ws:
        data = await badges_until(ws, lambda data: "todo" in data)
    assert set(data.values()) == {0}
