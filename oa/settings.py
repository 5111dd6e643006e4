"""The one settings object, built from an environment mapping and passed in (never read at import time).

Every variable is documented in docs/configuration.md; a test checks that the two agree.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


class SettingsError(ValueError):
    """A variable has a value the product cannot use; the message names the variable."""


def _int(environ: Mapping[str, str], name: str, default: int, *, minimum: int = 0) -> int:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from exc
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {value}")
    return value


def _bool(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Runtime configuration. Construct with `Settings.from_environ(os.environ)` or directly in tests."""

    database_url: str
    data_dir: Path
    keys_dir: Path
    frontend_dir: Path
    node_id: str = "xiangshan"
    node_name: str = "象山县电子政务内网节点"
    public_url: str = "http://127.0.0.1:8000"
    access_token_minutes: int = 15
    refresh_token_hours: int = 12
    jwt_issuer: str = "xiangshan-oa"
    jwt_audience: str = "xiangshan-oa"
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
    max_json_bytes: int = 1_048_576
    max_upload_bytes: int = 104_857_600
    cookie_secure: bool = False
    classified_system: bool = False
    log_level: str = "INFO"
    log_json: bool = True
    db_pool_size: int = 10
    gc_freeze_seconds: int = 10
    gc_full_seconds: int = 3600
    extra: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("OA_DATA_DIR") or (Path.cwd() / "var")).resolve()
        database_url = env.get("OA_DATABASE_URL") or f"sqlite+aiosqlite:///{data_dir / 'oa.db'}"
        if not (database_url.startswith("sqlite+aiosqlite:") or database_url.startswith("postgresql+asyncpg:")):
            raise SettingsError(
                "OA_DATABASE_URL must start with sqlite+aiosqlite:// or postgresql+asyncpg://, "
                f"got {database_url.split(':', 1)[0]!r}"
            )
        log_level = (env.get("OA_LOG_LEVEL") or "INFO").upper()
        if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise SettingsError(f"OA_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {log_level!r}")
        return cls(
            database_url=database_url,
            data_dir=data_dir,
            keys_dir=Path(env.get("OA_KEYS_DIR") or (data_dir / "keys")).resolve(),
            frontend_dir=Path(env.get("OA_FRONTEND_DIR") or (_repo_root() / "frontend" / "dist")).resolve(),
            node_id=env.get("OA_NODE_ID") or "xiangshan",
            node_name=env.get("OA_NODE_NAME") or "象山县电子政务内网节点",
            public_url=(env.get("OA_PUBLIC_URL") or "http://127.0.0.1:8000").rstrip("/"),
            access_token_minutes=_int(env, "OA_ACCESS_TOKEN_MINUTES", 15, minimum=1),
            refresh_token_hours=_int(env, "OA_REFRESH_TOKEN_HOURS", 12, minimum=1),
            jwt_issuer=env.get("OA_JWT_ISSUER") or "xiangshan-oa",
            jwt_audience=env.get("OA_JWT_AUDIENCE") or "xiangshan-oa",
            login_max_failures=_int(env, "OA_LOGIN_MAX_FAILURES", 5, minimum=1),
            login_lockout_minutes=_int(env, "OA_LOGIN_LOCKOUT_MINUTES", 15, minimum=1),
            max_json_bytes=_int(env, "OA_MAX_JSON_BYTES", 1_048_576, minimum=1024),
            max_upload_bytes=_int(env, "OA_MAX_UPLOAD_BYTES", 104_857_600, minimum=1024),
            cookie_secure=_bool(env, "OA_COOKIE_SECURE", False),
            classified_system=_bool(env, "OA_CLASSIFIED_SYSTEM", False),
            log_level=log_level,
            log_json=_bool(env, "OA_LOG_JSON", True),
            db_pool_size=_int(env, "OA_DB_POOL_SIZE", 10, minimum=1),
            gc_freeze_seconds=_int(env, "OA_GC_FREEZE_SECONDS", 10, minimum=0),
            gc_full_seconds=_int(env, "OA_GC_FULL_SECONDS", 3600, minimum=60),
            extra={k: v for k, v in env.items() if k.startswith("OA_")},
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
