"""Exchange and distribution settings, read from the `OA_EXCHANGE_…` / `OA_INCOMING_…` variables.

`oa.settings.Settings` keeps every `OA_` variable in `extra`; this module gives the exchange's own ones
their types, defaults and checks (documented in docs/configuration.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from docflow.exchange.retry import RetryPolicy
from oa.settings import Settings, SettingsError


def _number(env: Mapping[str, str], name: str, default: float, *, minimum: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from exc
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum:g}, got {raw}")
    return value


@dataclass(frozen=True, slots=True)
class ExchangeConfig:
    max_message_bytes: int = 50 * 1024 * 1024
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    poll_seconds: float = 5.0
    batch_size: int = 100
    concurrency: int = 16
    timeout_seconds: float = 30.0
    lease_seconds: float = 120.0
    remind_before_hours: float = 24.0
    run_worker: bool = True

    @classmethod
    def from_settings(cls, settings: Settings) -> ExchangeConfig:
        env = settings.extra
        retry = RetryPolicy(
            base_seconds=_number(env, "OA_EXCHANGE_RETRY_BASE_SECONDS", 2.0, minimum=0.01),
            cap_seconds=_number(env, "OA_EXCHANGE_RETRY_CAP_SECONDS", 3600.0, minimum=0.01),
            max_attempts=int(_number(env, "OA_EXCHANGE_MAX_ATTEMPTS", 15, minimum=1)),
        )
        if retry.cap_seconds < retry.base_seconds:
            raise SettingsError("OA_EXCHANGE_RETRY_CAP_SECONDS must not be below OA_EXCHANGE_RETRY_BASE_SECONDS")
        worker = (env.get("OA_EXCHANGE_WORKER") or "true").strip().lower()
        if worker not in {"true", "false", "1", "0"}:
            raise SettingsError(f"OA_EXCHANGE_WORKER must be true or false, got {worker!r}")
        return cls(
            max_message_bytes=int(_number(env, "OA_EXCHANGE_MAX_BYTES", 50 * 1024 * 1024, minimum=4096)),
            retry=retry,
            poll_seconds=_number(env, "OA_EXCHANGE_POLL_SECONDS", 5.0, minimum=0.05),
            concurrency=int(_number(env, "OA_EXCHANGE_CONCURRENCY", 16, minimum=1)),
            timeout_seconds=_number(env, "OA_EXCHANGE_TIMEOUT_SECONDS", 30.0, minimum=0.1),
            remind_before_hours=_number(env, "OA_INCOMING_REMIND_BEFORE_HOURS", 24.0, minimum=0),
            run_worker=worker in {"true", "1"},
        )
