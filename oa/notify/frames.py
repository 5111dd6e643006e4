"""The JSON text frames a WebSocket client receives, built from plain data (no I/O).

Every frame is a JSON object with a `type`. Frames that advance the stream carry `id`, the recipient's sequence
number: `event` frames (`{"id", "type", "data", "at"}`), `summary` (a burst folded into counts), `ready` (the id the
stream starts after) and `resync` (the client must reload in full and resume after `id`). `ping` and `badges` carry
no id, so a client's `last_event_id` is always the highest `id` it has seen.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any


def _dump(body: Mapping[str, Any]) -> str:
    # Compact separators: idle memory and fan-out cost both scale with the frame size; CJK stays readable.
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str)


def event_tail(type_: str, data_json: str, at: datetime) -> str:
    """Everything of an event frame after its id. One event sent to 5,000 people differs only in the id, so a
    fan-out encodes this once and splices in each recipient's number (`data_json` is already JSON text)."""
    return f',"type":{json.dumps(type_, ensure_ascii=False)},"data":{data_json},"at":"{at.isoformat()}"}}'


@dataclass(frozen=True, slots=True)
class StreamEvent:
    """One event of a recipient's stream as the delivery code sees it, its frame all but encoded."""

    seq: int
    type: str
    at: datetime
    tail: str

    @classmethod
    def of(cls, seq: int, type_: str, data: Mapping[str, Any], at: datetime) -> StreamEvent:
        return cls(seq, type_, at, event_tail(type_, _dump(data), at))


def event_frame(event: StreamEvent) -> str:
    return f'{{"id":{event.seq}{event.tail}'


def summary_frame(counts: Mapping[str, int], first_id: int, last_id: int, at: datetime) -> str:
    """A burst folded into counts; `id` is the last folded event, so resuming after it is exact."""
    return _dump({"id": last_id, "type": "summary",
                  "data": {"counts": dict(sorted(counts.items())), "first_id": first_id, "last_id": last_id},
                  "at": at.isoformat()})


def ready_frame(last_id: int) -> str:
    return _dump({"id": last_id, "type": "ready"})


def resync_frame(last_id: int, reason: str) -> str:
    return _dump({"id": last_id, "type": "resync", "data": {"reason": reason}})


def badges_frame(counts: Mapping[str, int]) -> str:
    return _dump({"type": "badges", "data": dict(sorted(counts.items()))})


PING_FRAME = _dump({"type": "ping"})
