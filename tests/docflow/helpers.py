"""Helpers for the outgoing-document tests: demo people's ids, a valid draft, and acting through the API."""

from __future__ import annotations

from typing import Any


def notice(title: str = "关于做好2026年防汛防台工作的通知", **overrides: Any) -> dict[str, Any]:
    content = {
        "doc_type": "通知",
        "title": title,
        "urgency": "加急",
        "publication_level": "不公开",
        "issuer_mark": "象山县人民政府文件",
        "issuer_names": ["象山县人民政府"],
        "daizi": "象政发",
        "main_recipients": [{"unit_code": "DDJD", "name": "丹东街道"}, {"unit_code": "SPZ", "name": "石浦镇"},
                            {"unit_code": "XZZ", "name": "西周镇"}],
        "copy_recipients": [{"unit_code": None, "name": "县委办公室"}],
        "body": [
            {"level": 0, "text": "为切实做好今年防汛防台工作，现将有关事项通知如下。"},
            {"level": 1, "text": "提高思想认识"},
            {"level": 0, "text": "各地各部门要充分认识防汛防台工作的重要性。"},
            {"level": 1, "text": "落实工作责任"},
            {"level": 2, "text": "明确责任主体"},
            {"level": 0, "text": "各镇乡街道主要负责人为第一责任人。"},
        ],
        "notes": "",
        "printing_organ": "象山县人民政府办公室",
    }
    content.update(overrides)
    return content


async def person_id(client: Any, username: str) -> int:
    people = (await client.get("/api/people", params={"q": username})).json()["items"]
    return next(p["id"] for p in people if p["username"] == username)


async def act(client: Any, document_id: int, action: str, expect: int = 200, **fields: Any) -> dict[str, Any]:
    response = await client.post(f"/api/documents/{document_id}/actions", json={"action": action, **fields})
    assert response.status_code == expect, f"{action}: {response.status_code} {response.text}"
    body: dict[str, Any] = response.json()
    return body
