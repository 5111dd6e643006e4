"""The hash chain as pure functions: how a record's hash is made, and how a run of records is checked."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from oa.audit.models import GENESIS_HASH


@dataclass(frozen=True)
class ChainFields:
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str | None
    acting_for_id: int | None
    unit_id: int | None
    action: str
    target_type: str | None
    target_id: str | None
    ip: str | None
    request_id: str | None
    outcome: str
    detail: dict[str, Any]


def _timestamp(at: datetime) -> str:
    # Microseconds, UTC, fixed width: both databases round-trip this exactly.
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_around_id(fields: ChainFields) -> tuple[str, str]:
    """The canonical text of a record (its fields as sorted, compact JSON) in two parts: before and after the
    digits of its id. The id is the one field the chain head decides, so PostgreSQL can number and hash a record in
    the same statement that locks the head (`oa.audit.service`) from these two parts."""
    body = {
        "at": _timestamp(fields.at),
        "actor_id": fields.actor_id,
        "actor_name": fields.actor_name,
        "acting_for_id": fields.acting_for_id,
        "unit_id": fields.unit_id,
        "action": fields.action,
        "target_type": fields.target_type,
        "target_id": fields.target_id,
        "ip": fields.ip,
        "request_id": fields.request_id,
        "outcome": fields.outcome,
        "detail": fields.detail,
    }
    # Every key sorts either before "id" or after it, and neither side is ever empty: the two halves of the sorted
    # object, with "id" between them, are the object dumped whole.
    before = _canonical({k: v for k, v in body.items() if k < "id"})
    after = _canonical({k: v for k, v in body.items() if k > "id"})
    return before[:-1] + ',"id":', "," + after[1:]


def _canonical(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def record_hash(prev_hash: str, fields: ChainFields) -> str:
    before, after = canonical_around_id(fields)
    return hashlib.sha256(f"{prev_hash}{before}{fields.id}{after}".encode()).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class StoredRecord:
    fields: ChainFields
    prev_hash: str
    hash: str


class ChainWalker:
    """Checks records one at a time, in id order, so a long trail is verified in constant memory."""

    def __init__(self) -> None:
        self.expected_prev = GENESIS_HASH
        self.checked = 0

    def step(self, record: StoredRecord) -> ChainReport | None:
        """None while the chain holds; a failing report at the first broken record."""
        rid, expected_id = record.fields.id, self.checked + 1
        if rid != expected_id:
            reason = f"记录 {expected_id} 缺失（下一条是 {rid}）" if rid > expected_id else f"记录 {rid} 重复或乱序"
            return ChainReport(False, self.checked, expected_id, reason)
        if record.prev_hash != self.expected_prev:
            return ChainReport(False, self.checked, rid, f"记录 {rid} 的前序哈希与上一条记录不符")
        if record_hash(record.prev_hash, record.fields) != record.hash:
            return ChainReport(False, self.checked, rid, f"记录 {rid} 的内容已被改动（哈希不符）")
        self.expected_prev = record.hash
        self.checked += 1
        return None

    def finish(self, head: tuple[int, str] | None) -> ChainReport:
        last_id, last_hash = head if head is not None else (0, GENESIS_HASH)
        if last_id != self.checked or last_hash != self.expected_prev:
            return ChainReport(
                False, self.checked, min(last_id, self.checked + 1) or None,
                f"链头指向记录 {last_id}，但最后一条有效记录是 {self.checked}：末尾记录被删除或链头被改动",
            )
        return ChainReport(True, self.checked)


def verify_chain(records: Iterable[StoredRecord], head: tuple[int, str] | None) -> ChainReport:
    """Check ids run 1, 2, 3 … without gaps, each prev_hash links, each hash recomputes, and the head matches."""
    walker = ChainWalker()
    for record in records:
        failure = walker.step(record)
        if failure is not None:
            return failure
    return walker.finish(head)
