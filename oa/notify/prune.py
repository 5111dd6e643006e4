"""Deleting notification events past the retention window, as a command for cron or an operator.

    python -m oa.notify.prune                # keep 30 days (the hub also prunes hourly on every node)
    python -m oa.notify.prune --days 7

A client that was away longer than the retention window gets a `resync` frame (reload in full) instead of a gap.
"""

from __future__ import annotations

import argparse
import asyncio

from oa.database import create_engine, create_sessionmaker
from oa.notify.hub import prune_old_events
from oa.settings import Settings


async def prune(settings: Settings, days: int) -> int:
    engine = create_engine(settings)
    try:
        return await prune_old_events(create_sessionmaker(engine), days)
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m oa.notify.prune", description="删除超过保留期的通知事件")
    parser.add_argument("--days", type=int, default=30, help="保留天数（默认 30）")
    args = parser.parse_args(argv)
    if args.days < 1:
        parser.error("--days must be at least 1")
    removed = asyncio.run(prune(Settings.from_environ(), args.days))
    print(f"已删除 {removed} 条超过 {args.days} 天的通知事件")


if __name__ == "__main__":
    main()
