"""Running Alembic from the installed package, against the database named by the settings."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine

from oa.settings import Settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(database_url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if database_url:
        cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as conn:
        return await conn.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())


def upgrade(settings: Settings, revision: str = "head") -> None:
    if settings.is_sqlite:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(settings.database_url), revision)


async def upgrade_async(settings: Settings, revision: str = "head") -> None:
    await asyncio.to_thread(upgrade, settings, revision)


def drift(settings: Settings) -> list[object]:
    """Differences between the migrated database and the models (empty when they agree)."""
    from alembic.autogenerate import compare_metadata
    from sqlalchemy.ext.asyncio import create_async_engine

    from oa.database import Base, import_all_models

    import_all_models()

    async def compare() -> list[object]:
        engine = create_async_engine(settings.database_url)
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(
                    lambda sync: list(compare_metadata(
                        MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata))
                )
        finally:
            await engine.dispose()

    return asyncio.run(compare())
