"""Helpers for the incoming-document tests: driving an outgoing notice to 核发, waiting for the worker, and
acting on incoming documents through the API."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from tests.docflow.helpers import act, notice, person_id

T = TypeVar("T")


async def eventually(probe: Callable[[], Awaitable[T]], accept: Callable[[T], bool], *,
                     timeout: float = 20.0, step: float = 0.05) -> T:
    """Poll `probe` until `accept(value)`; fail with the last value seen (never a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while True:
        value = await probe()
        if accept(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s; last value: {value!r}")
        await asyncio.sleep(step)


async def dispatch_notice(desk: Callable[[str], Awaitable[Any]], title: str = "关于做好2026年防汛防台工作的通知",
                          unit: str = "xsx", attachments: tuple[tuple[str, bytes], ...] = (),
                          **overrides: Any) -> int:
    """Draft (with `attachments` uploaded), review, sign off, re-check, register, seal and dispatch a notice;
    return its id."""
    drafter, reviewer = await desk(f"{unit}.drafter"), await desk(f"{unit}.reviewer")
    leader, registrar = await desk(f"{unit}.leader"), await desk(f"{unit}.registrar")
    response = await drafter.post("/api/documents", json={"content": notice(title, **overrides)})
    assert response.status_code == 201, response.text
    doc_id: int = response.json()["id"]
    for filename, content in attachments:
        uploaded = await drafter.post(f"/api/documents/{doc_id}/attachments", params={"filename": filename},
                                      content=content)
        assert uploaded.status_code == 201, uploaded.text
    await act(drafter, doc_id, "submit", opinion="请审核")
    await act(reviewer, doc_id, "approve", opinion="文字已核", skip=["会签"],
              next_holders=[await person_id(reviewer, f"{unit}.leader")])
    await act(leader, doc_id, "approve", opinion="同意印发")
    await act(reviewer, doc_id, "approve", opinion="复核无误")
    await act(registrar, doc_id, "assign_number")
    await act(registrar, doc_id, "approve", opinion="已登记")
    await act(registrar, doc_id, "seal")
    view = await act(registrar, doc_id, "dispatch", opinion="核发")
    assert view["state"] == "dispatched", view["state"]
    return doc_id


class Desks:
    """One signed-in client per username, created on first use."""

    def __init__(self, make_client: Callable[[], Any]) -> None:
        self._make = make_client
        self._clients: dict[str, Any] = {}

    async def __call__(self, username: str) -> Any:
        if username not in self._clients:
            client = self._make()
            await client.sign_in(username)
            self._clients[username] = client
        return self._clients[username]


async def deliveries(client: Any, doc_id: int) -> dict[str, dict[str, Any]]:
    response = await client.get(f"/api/documents/{doc_id}/deliveries")
    assert response.status_code == 200, response.text
    return {item["recipient_code"] or item["recipient_name"]: item for item in response.json()["items"]}


async def inbox(client: Any, box: str) -> list[dict[str, Any]]:
    response = await client.get("/api/incoming", params={"box": box, "page_size": 200})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def incoming_act(client: Any, incoming_id: int, action: str, expect: int = 200,
                       **fields: Any) -> dict[str, Any]:
    response = await client.post(f"/api/incoming/{incoming_id}/actions", json={"action": action, **fields})
    assert response.status_code == expect, f"{action}: {response.status_code} {response.text}"
    body: dict[str, Any] = response.json()
    return body


def statuses(items: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {code: item["status"] for code, item in items.items()}
