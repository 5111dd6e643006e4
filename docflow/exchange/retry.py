"""The outbox's retry schedule: exponential back-off with a cap, jitter and a limit on attempts.

Pure: the random source and the clock are passed in, so the worker and the tests get the same numbers.
Every attempt resends the same bytes under the same message id; the receiver's deduplication makes a
retry after a lost answer harmless.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Delay before attempt n+1 after n failed attempts: min(cap, base * factor**(n-1)), then jittered.

    `jitter` is a fraction: 0.2 spreads each delay uniformly over ±20% so that a node coming back after an
    outage is not hit by every peer's retries at the same instant. The jittered delay never exceeds `cap`.
    """

    base_seconds: float = 2.0
    factor: float = 2.0
    cap_seconds: float = 3600.0
    jitter: float = 0.2
    max_attempts: int = 15

    def __post_init__(self) -> None:
        if self.base_seconds <= 0 or self.cap_seconds < self.base_seconds:
            raise ValueError("重试策略要求 0 < base_seconds <= cap_seconds")
        if self.factor < 1:
            raise ValueError("重试策略的 factor 不能小于 1")
        if not 0 <= self.jitter < 1:
            raise ValueError("重试策略的 jitter 必须在 [0, 1) 之间")
        if self.max_attempts < 1:
            raise ValueError("重试策略至少允许 1 次尝试")


def backoff_delay(failed_attempts: int, policy: RetryPolicy, random: Callable[[], float]) -> float | None:
    """Seconds to wait before the next attempt, or None when `max_attempts` have all failed.

    `failed_attempts` counts the attempts made so far (1 after the first failure); `random` returns a
    float in [0, 1), e.g. `random.random`.
    """
    if failed_attempts < 1:
        raise ValueError("failed_attempts 从 1 开始计数")
    if failed_attempts >= policy.max_attempts:
        return None
    exponent = failed_attempts - 1
    # Compare exponents rather than computing factor**n blindly: a long outage must not overflow the float.
    ratio = policy.cap_seconds / policy.base_seconds
    steps_to_cap = math.inf if policy.factor == 1 else math.log(ratio, policy.factor)
    delay = policy.cap_seconds
    if exponent <= steps_to_cap:
        delay = min(policy.cap_seconds, policy.base_seconds * policy.factor**exponent)
    spread = 1 + policy.jitter * (2 * random() - 1)
    return min(policy.cap_seconds, delay * spread)


def next_attempt_at(
    now: datetime, failed_attempts: int, policy: RetryPolicy, random: Callable[[], float]
) -> datetime | None:
    """When the outbox worker should try again, or None: the message has finally failed and is shown to
    the sender with its last reason, who may resend it."""
    delay = backoff_delay(failed_attempts, policy, random)
    return None if delay is None else now + timedelta(seconds=delay)


def schedule(policy: RetryPolicy, random: Callable[[], float]) -> list[float]:
    """Every delay of a message that never gets through (for the admin UI and for tests)."""
    delays: list[float] = []
    attempts = 1
    while (delay := backoff_delay(attempts, policy, random)) is not None:
        delays.append(delay)
        attempts += 1
    return delays
