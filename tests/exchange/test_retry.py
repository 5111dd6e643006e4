"""The outbox retry schedule: exponential, capped, jittered within bounds, and finite."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from docflow.exchange.retry import RetryPolicy, backoff_delay, next_attempt_at, schedule


def no_jitter() -> float:
    return 0.5  # the middle of [0, 1): a spread factor of exactly 1


def test_delays_grow_exponentially_until_the_cap() -> None:
    policy = RetryPolicy(base_seconds=2, factor=3, cap_seconds=100, jitter=0.0, max_attempts=7)
    assert schedule(policy, no_jitter) == [2, 6, 18, 54, 100, 100]


def test_after_max_attempts_there_is_no_further_attempt() -> None:
    policy = RetryPolicy(max_attempts=3, jitter=0.0)
    assert backoff_delay(2, policy, no_jitter) is not None
    assert backoff_delay(3, policy, no_jitter) is None
    assert len(schedule(policy, no_jitter)) == 2


def test_a_single_attempt_policy_never_retries() -> None:
    assert schedule(RetryPolicy(max_attempts=1), no_jitter) == []


@pytest.mark.parametrize("draw", [0.0, 0.25, 0.5, 0.999999])
def test_jitter_stays_within_its_fraction_and_under_the_cap(draw: float) -> None:
    policy = RetryPolicy(base_seconds=10, factor=2, cap_seconds=60, jitter=0.2, max_attempts=10)
    for failed, nominal in enumerate([10, 20, 40, 60, 60], start=1):
        delay = backoff_delay(failed, policy, lambda: draw)
        assert delay is not None
        assert nominal * 0.8 <= delay <= min(60, nominal * 1.2)
        assert delay == pytest.approx(min(60, nominal * (1 + 0.2 * (2 * draw - 1))))


def test_the_same_random_source_gives_the_same_schedule() -> None:
    policy = RetryPolicy()
    assert schedule(policy, random.Random(42).random) == schedule(policy, random.Random(42).random)
    assert schedule(policy, random.Random(42).random) != schedule(policy, random.Random(43).random)


def test_a_very_long_outage_does_not_overflow() -> None:
    policy = RetryPolicy(base_seconds=1, factor=10, cap_seconds=86_400, jitter=0.0, max_attempts=10_000)
    assert backoff_delay(5_000, policy, no_jitter) == 86_400


def test_next_attempt_is_scheduled_from_now() -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    policy = RetryPolicy(base_seconds=30, factor=2, jitter=0.0, max_attempts=3)
    assert next_attempt_at(now, 2, policy, no_jitter) == now + timedelta(seconds=60)
    assert next_attempt_at(now, 3, policy, no_jitter) is None


@pytest.mark.parametrize(
    "settings",
    [
        {"base_seconds": 0},
        {"base_seconds": 10, "cap_seconds": 5},
        {"factor": 0.5},
        {"jitter": 1.0},
        {"jitter": -0.1},
        {"max_attempts": 0},
    ],
)
def test_a_nonsensical_policy_is_refused(settings: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**settings)  # type: ignore[arg-type]


def test_attempts_are_counted_from_one() -> None:
    with pytest.raises(ValueError):
        backoff_delay(0, RetryPolicy(), no_jitter)
