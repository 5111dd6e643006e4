"""Pure rules of delivery: burst folding, wake-up payloads, frames, the badge registry."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oa.notify.badges import badge_names, register_badges, unregister_badges
from oa.notify.bus import EVERYONE, Everyone
from oa.notify.coalesce import BurstCoalescer
from oa.notify.frames import StreamEvent, event_frame, event_tail, summary_frame
from oa.notify.pg_bus import MAX_PAYLOAD, decode_wakeup, encode_wakeups

AT = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def _run(coalescer: BurstCoalescer, arrivals: list[tuple[float, str]]) -> list[dict]:
    frames: list[str] = []
    for seq, (now, type_) in enumerate(arrivals, start=1):
        frames += coalescer.flush_due(now)
        frames += coalescer.offer(StreamEvent.of(seq, type_, {"seq": seq}, AT), now)
    frames += coalescer.flush(arrivals[-1][0] + 3600 if arrivals else 0)
    return [json.loads(f) for f in frames]


@settings(max_examples=300, deadline=None)
@given(
    limit=st.integers(1, 6),
    steps=st.lists(st.tuples(st.floats(0, 0.5), st.sampled_from(["task", "reminder", "arrived"])), max_size=80),
)
def test_every_event_is_sent_exactly_once_individually_or_in_a_summary_and_ids_only_grow(limit, steps):
    clock, arrivals = 0.0, []
    for gap, type_ in steps:
        clock += gap
        arrivals.append((clock, type_))
    frames = _run(BurstCoalescer(limit, window=1.0), arrivals)

    covered: list[int] = []
    last_id = 0
    for frame in frames:
        assert frame["id"] > last_id  # a client's last_event_id only moves forward
        last_id = frame["id"]
        if frame["type"] == "summary":
            span = range(frame["data"]["first_id"], frame["data"]["last_id"] + 1)
            individually = {c for c in covered if c in span}
            assert sum(frame["data"]["counts"].values()) + len(individually) == len(span)
            covered += [s for s in span if s not in individually]
        else:
            covered.append(frame["id"])
    assert sorted(covered) == list(range(1, len(arrivals) + 1))


def test_at_most_limit_events_of_one_type_go_out_one_by_one_in_a_window():
    frames = _run(BurstCoalescer(3, window=1.0), [(0.01 * i, "reminder") for i in range(100)])
    assert [f["type"] for f in frames] == ["reminder"] * 3 + ["summary"]
    assert frames[-1]["data"] == {"counts": {"reminder": 97}, "first_id": 4, "last_id": 100}


def test_events_spread_out_in_time_are_never_summarised():
    frames = _run(BurstCoalescer(2, window=1.0), [(1.5 * i, "task") for i in range(20)])
    assert [f["id"] for f in frames] == list(range(1, 21)) and {f["type"] for f in frames} == {"task"}


def test_a_held_burst_keeps_no_copies_of_the_events_it_folds():
    coalescer = BurstCoalescer(2, window=10.0)
    for seq in range(1, 10_001):
        coalescer.offer(StreamEvent.of(seq, "reminder", {"big": "x" * 100}, AT), 0.0)
    assert coalescer.holding and len(coalescer._held) == 0


def test_a_coalescer_needs_a_positive_limit_and_window():
    with pytest.raises(ValueError, match="limit"):
        BurstCoalescer(0, 1.0)


@given(st.sets(st.integers(1, 10**12), max_size=3000))
def test_wake_up_payloads_fit_postgres_and_decode_to_the_same_recipients(ids):
    payloads = encode_wakeups("node1", ids)
    decoded: set[int] = set()
    for payload in payloads:
        assert len(payload.encode()) <= MAX_PAYLOAD
        node, recipients = decode_wakeup(payload)
        assert node == "node1"
        if isinstance(recipients, Everyone):
            assert payloads == ["node1|*"]
            return
        decoded |= recipients
    assert decoded == ids


def test_a_wake_up_too_large_to_list_becomes_wake_everyone():
    assert encode_wakeups("n", range(1, 200_000)) == ["n|*"]
    assert decode_wakeup("n|*") == ("n", EVERYONE)


@pytest.mark.parametrize("payload", ["no-separator", "n|1,x,3", ""])
def test_a_foreign_or_broken_payload_is_ignored(payload):
    assert decode_wakeup(payload) is None


def test_an_event_frame_is_json_with_the_recipients_id_spliced_in():
    event = StreamEvent.of(7, "task.new", {"title": "关于“象山”的通知", "n": 1}, AT)
    assert json.loads(event_frame(event)) == {"id": 7, "type": "task.new", "at": AT.isoformat(),
                                              "data": {"title": "关于“象山”的通知", "n": 1}}
    stored = json.dumps({"title": "引号\"与\\反斜杠"})  # as a database hands back the JSON text
    spliced = StreamEvent(8, 'odd"type', AT, event_tail('odd"type', stored, AT))
    assert json.loads(event_frame(spliced))["data"] == {"title": "引号\"与\\反斜杠"}
    assert json.loads(event_frame(spliced))["type"] == 'odd"type'


def test_a_summary_frame_names_the_range_it_covers():
    body = json.loads(summary_frame({"b": 5, "a": 2}, 10, 16, AT))
    assert body == {"id": 16, "type": "summary", "at": AT.isoformat(),
                    "data": {"counts": {"a": 2, "b": 5}, "first_id": 10, "last_id": 16}}


def test_badge_names_must_be_identifiers_unique_across_groups_and_can_be_replaced():
    async def zero(_session, _people):
        return {}

    with pytest.raises(ValueError, match="identifier"):
        register_badges("probe", ["待办 count"], zero)
    register_badges("probe", ["todo_probe"], zero)
    register_badges("probe", ["todo_probe", "done_probe"], zero)
    try:
        assert {"todo_probe", "done_probe"} <= set(badge_names())
        with pytest.raises(ValueError, match="already counted"):
            register_badges("other", ["todo_probe"], zero)
    finally:
        unregister_badges("probe")
    assert "todo_probe" not in badge_names()
