"""Benchmark: real-time notifications on PostgreSQL, against raw `websockets` doing the least possible.

    .venv/bin/python bench/notify_bench.py                          # 10,000 idle, fan-out to 5,000, 500 events/s
    .venv/bin/python bench/notify_bench.py --idle 2000 --fanout 1000 --seconds 5     # a quick run

Three processes besides this controller, so no measurement is skewed by another's work: the app (uvicorn with the
production options: uvloop, httptools, websockets-sansio, no per-message deflate), a raw `websockets` server (the
baseline), and one client process holding every socket. The controller creates a scratch PostgreSQL database,
migrates it, adds the people and their sessions, and commits the events through the real unit of work; it is a
second app node as far as the server can tell, so every event reaches the server through LISTEN/NOTIFY.

- idle memory: server RSS delta / connections, after every socket got its `ready` frame (target <= 50 KB).
- fan-out: one event to F people (one connection each), from the commit's return to the last client's receipt,
  against `websockets.broadcast` of the same bytes to F raw sockets, from the call to the last receipt. The
  figure is broadcast time / our time, median of the rounds (target >= 0.5). On a busy machine the client
  process is often the limit for both, so the server CPU spent per fan-out is compared too (ours includes
  reading the 5,000 streams from PostgreSQL; the database's own CPU is not counted).
- latency: events at a steady rate, each to one of 500 people, several per committed change (every change
  appends to the hash-chained audit log, which serialises commits at the disk's fsync rate); from the commit's
  return to the receipt, p50/p99 (target p99 <= 50 ms).
Clocks: `time.monotonic()` is one system-wide clock on Linux, so the processes' readings compare.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def raise_fd_limit() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (clock ticks of 10 ms)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settings_for(database_url: str, workdir: Path) -> Any:
    from oa.settings import Settings

    return Settings.from_environ({"OA_DATABASE_URL": database_url, "OA_DATA_DIR": str(workdir),
                                  "OA_KEYS_DIR": str(workdir / "keys"), "OA_FRONTEND_DIR": str(workdir / "none"),
                                  "OA_LOG_JSON": "false", "OA_LOG_LEVEL": "WARNING", "OA_DB_POOL_SIZE": "10"})


# -- the app server and the baseline server (child processes) ----------------------------------------------------

def serve_app(args: argparse.Namespace) -> None:
    import uvicorn

    from oa.collector import CollectorPolicy
    from oa.web.app import create_app

    raise_fd_limit()
    settings = settings_for(args.database_url, Path(args.workdir))
    app = create_app(settings)
    app.state.collector_policy = CollectorPolicy(settings.gc_freeze_seconds, settings.gc_full_seconds)  # as `oa serve`
    uvicorn.run(app, host="127.0.0.1", port=args.port, loop="uvloop", http="httptools", ws="websockets-sansio",
                ws_per_message_deflate=False, access_log=False, log_config=None, log_level="warning", backlog=4096)


async def serve_baseline(args: argparse.Namespace) -> None:
    """Raw websockets: keep every socket, broadcast the given bytes to the first n on command (stdin)."""
    import websockets
    from websockets.asyncio.server import ServerConnection, serve

    raise_fd_limit()
    sockets: list[ServerConnection] = []

    async def handler(ws: ServerConnection) -> None:
        sockets.append(ws)
        try:
            await ws.wait_closed()
        finally:
            sockets.remove(ws)

    async with serve(handler, "127.0.0.1", args.port, compression=None, ping_interval=20, backlog=4096):
        print(json.dumps({"ready": True}), flush=True)
        reader = asyncio.StreamReader()
        await asyncio.get_running_loop().connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        while line := await reader.readline():
            command = json.loads(line)
            gc.freeze()  # the same treatment as ours: no full collection over 10,000 sockets inside the timing
            started = time.monotonic()
            websockets.broadcast(sockets[: command["n"]], command["frame"])
            print(json.dumps({"t0": started}), flush=True)


# -- the client process ----------------------------------------------------------------------------------------

class Clients:
    def __init__(self) -> None:
        self.groups: dict[str, list[Any]] = {}
        self.armed: dict[int, float] | None = None
        self.armed_ids: range = range(0)
        self.armed_want = 0
        self.armed_done: asyncio.Event = asyncio.Event()
        self.latency: dict[int, float] | None = None

    def on_frame(self, key: int, raw: str | bytes) -> None:
        now = time.monotonic()
        armed = self.armed is not None and key in self.armed_ids and key not in self.armed
        if armed and self.armed is not None and '"ping"' not in raw and '"badges"' not in raw:
            self.armed[key] = now
            if len(self.armed) >= self.armed_want:
                self.armed_done.set()
        if self.latency is not None and '"bench.latency"' in raw:
            self.latency[json.loads(raw)["data"]["seq"]] = now

    async def open_one(self, url: str, token: str | None, key: int, want_ready: bool) -> Any:
        from websockets.asyncio.client import connect

        headers = {"Authorization": f"Bearer {token}"} if token else None
        ws = await connect(url, additional_headers=headers, compression=None, proxy=None, ping_interval=None,
                           open_timeout=60, max_queue=64)
        if want_ready:
            first = json.loads(await ws.recv())
            if first.get("type") != "ready":
                raise RuntimeError(f"expected ready, got {first}")

        async def pump() -> None:
            with contextlib.suppress(Exception):  # a closed socket ends its pump; the counts show any loss
                async for raw in ws:
                    self.on_frame(key, raw)

        asyncio.get_running_loop().create_task(pump())
        return ws

    async def handle(self, command: dict[str, Any]) -> dict[str, Any]:
        kind = command["cmd"]
        if kind == "open":
            tokens = command.get("tokens") or [None] * command["count"]
            base = command["key_base"]
            semaphore = asyncio.Semaphore(100)

            async def one(i: int, token: str | None) -> Any:
                async with semaphore:
                    return await self.open_one(command["url"], token, base + i, token is not None)

            results = await asyncio.gather(*(one(i, t) for i, t in enumerate(tokens)), return_exceptions=True)
            opened = [r for r in results if not isinstance(r, BaseException)]
            errors = [repr(r) for r in results if isinstance(r, BaseException)]
            self.groups.setdefault(command["group"], []).extend(opened)
            # This process is the measuring instrument: its own collector walking 10,000 sockets would pause it for
            # seconds and charge the pause to the server under test.
            gc.freeze()
            return {"opened": len(opened), "failed": len(errors), "errors": errors[:3]}
        if kind == "arm":
            # Any `n` sockets of the group may be the ones served (the baseline's order is its accept order).
            self.armed, self.armed_want = {}, command["n"]
            self.armed_ids = range(command["key_base"], command["key_base"] + command["span"])
            self.armed_done = asyncio.Event()
            return {"armed": True}
        if kind == "wait":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.armed_done.wait(), command.get("timeout", 60))
            got = self.armed or {}
            self.armed = None
            return {"got": len(got), "first": min(got.values(), default=0), "last": max(got.values(), default=0)}
        if kind == "latency":
            if command["on"]:
                self.latency = {}
                return {"latency": True}
            arrivals, self.latency = self.latency or {}, None
            return {"arrivals": arrivals}
        if kind == "close":
            for ws in self.groups.pop(command["group"], []):
                await ws.close()
            return {"closed": True}
        raise ValueError(kind)


async def run_clients() -> None:
    raise_fd_limit()
    clients = Clients()
    reader = asyncio.StreamReader(limit=2**26)
    await asyncio.get_running_loop().connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := await reader.readline():
        print(json.dumps(await clients.handle(json.loads(line))), flush=True)


# -- the controller --------------------------------------------------------------------------------------------

class Child:
    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen([sys.executable, __file__, *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, bufsize=1)

    def ask(self, command: dict[str, Any]) -> dict[str, Any]:
        self.send(command)
        return self.reply()

    async def ask_async(self, command: dict[str, Any]) -> dict[str, Any]:
        """Ask without blocking the event loop: the controller's bus must keep sending its NOTIFYs meanwhile."""
        return await asyncio.to_thread(self.ask, command)

    def send(self, command: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()

    def reply(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        answer: dict[str, Any] = json.loads(self.proc.stdout.readline())
        return answer

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


async def populate(services: Any, people: int) -> tuple[list[int], list[str]]:
    from sqlalchemy import insert, select

    from oa.auth.models import AuthSession
    from oa.auth.tokens import issue_access_token
    from oa.database import utcnow
    from oa.org.models import Person, Unit, UnitKind

    now = utcnow()
    async with services.sessions() as session, session.begin():
        unit_id = (await session.execute(insert(Unit).values(code="BENCH", name="压测单位", short_name="压测",
                                                             kind=UnitKind.DEPARTMENT).returning(Unit.id))).scalar_one()
        await session.execute(insert(Person), [{"username": f"bench.{i}", "name": f"压测{i}", "unit_id": unit_id,
                                                "password_hash": "!", "created_at": now} for i in range(people)])
        ids = list((await session.execute(select(Person.id).where(Person.unit_id == unit_id)
                                          .order_by(Person.id))).scalars())
        sessions = [{"id": str(uuid.uuid4()), "person_id": pid, "refresh_hash": secrets.token_hex(32),
                     "created_at": now, "expires_at": now + timedelta(hours=4)} for pid in ids]
        await session.execute(insert(AuthSession), sessions)
    settings = services.settings
    tokens = [issue_access_token(services.keys, person_id=s["person_id"], session_id=s["id"], now=now,
                                 lifetime=timedelta(hours=2), issuer=settings.jwt_issuer,
                                 audience=settings.jwt_audience) for s in sessions]
    return ids, tokens


async def commit_event(services: Any, recipients: list[int], type_: str, data: dict[str, Any]) -> float:
    from oa.auth.principal import RequestContext

    async with services.unit_of_work(None, RequestContext(ip="bench")) as uow:
        uow.notify(recipients, type_, data)
        uow.audit("bench.notify")
        await uow.commit()
    return time.monotonic()


def wait_http(url: str, timeout: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


async def controller(args: argparse.Namespace) -> None:
    import asyncpg

    from oa.auth.principal import RequestContext
    from oa.migrate import upgrade
    from oa.services import Services

    raise_fd_limit()
    dbname = f"oa_bench_{os.getpid()}"
    admin = await asyncpg.connect(args.postgres)
    await admin.execute(f'CREATE DATABASE "{dbname}"')
    await admin.close()
    url = f"{args.postgres.rsplit('/', 1)[0].replace('postgresql://', 'postgresql+asyncpg://', 1)}/{dbname}"
    workdir = Path(tempfile.mkdtemp(prefix="notify-bench-"))
    settings = settings_for(url, workdir)
    await asyncio.to_thread(upgrade, settings)
    services = Services.create(settings)
    await services.bus.start()  # type: ignore[attr-defined]  # this controller is a node: it must NOTIFY
    people = max(args.idle, args.fanout, 500)
    ids, tokens = await populate(services, people)
    from oa.web.app import create_app  # noqa: F401 - fail here, not in the child, if the app cannot import

    app_port, base_port = free_port(), free_port()
    server = Child("--role", "server", "--database-url", url, "--workdir", str(workdir), "--port", str(app_port))
    baseline = Child("--role", "baseline", "--port", str(base_port))
    clients = Child("--role", "clients")
    rows: list[tuple[str, str, str, str, str]] = []
    try:
        wait_http(f"http://127.0.0.1:{app_port}/healthz")
        assert baseline.reply()["ready"]
        ours_url, base_url = f"ws://127.0.0.1:{app_port}/ws/events", f"ws://127.0.0.1:{base_port}"

        # Idle memory: warm both servers up, then measure the RSS growth for `idle` sockets.
        for group, target, toks in (("warm-ours", ours_url, tokens[:100]), ("warm-base", base_url, None)):
            clients.ask({"cmd": "open", "group": group, "url": target, "tokens": toks, "count": 100,
                         "key_base": 900_000 if toks else 950_000})
            clients.ask({"cmd": "close", "group": group})
        time.sleep(1.5)
        ours0, base0 = rss_kib(server.proc.pid), rss_kib(baseline.proc.pid)
        started = time.monotonic()
        opened = clients.ask({"cmd": "open", "group": "ours", "url": ours_url, "tokens": tokens[:args.idle],
                              "key_base": 0})
        open_seconds = time.monotonic() - started
        base_opened = clients.ask({"cmd": "open", "group": "base", "url": base_url, "count": args.idle,
                                   "key_base": 100_000})
        time.sleep(3)
        ours_kib = (rss_kib(server.proc.pid) - ours0) / max(1, opened["opened"])
        base_kib = (rss_kib(baseline.proc.pid) - base0) / max(1, base_opened["opened"])
        print(f"opened {opened} in {open_seconds:.1f} s; baseline {base_opened}", file=sys.stderr)
        rows.append(("idle memory per connection", f"{ours_kib:.1f} KiB", f"{base_kib:.1f} KiB",
                     f"{ours_kib / base_kib:.2f}x" if base_kib > 0 else "-", "<= 50 KB: "
                     + ("met" if ours_kib * 1.024 <= 50 else "MISSED")))

        # Fan-out: one event to `fanout` people, alternating ours and the baseline per round.
        frame = json.dumps({"id": 1, "type": "bench.fanout", "data": {"doc": "象山县发文", "round": 0},
                            "at": "2026-11-25T09:00:00+00:00"}, ensure_ascii=False, separators=(",", ":"))
        ours_times, base_times, ours_cpu, base_cpu = [], [], [], []
        for round_ in range(args.rounds):
            clients.ask({"cmd": "arm", "key_base": 0, "span": args.fanout, "n": args.fanout})
            cpu0 = cpu_seconds(server.proc.pid)
            t0 = await commit_event(services, ids[: args.fanout], "bench.fanout", {"doc": "象山县发文",
                                                                                   "round": round_})
            got = await clients.ask_async({"cmd": "wait", "timeout": 120})
            ours_cpu.append(cpu_seconds(server.proc.pid) - cpu0)
            ours_times.append(got["last"] - t0)
            clients.ask({"cmd": "arm", "key_base": 100_000, "span": args.idle, "n": args.fanout})
            cpu0 = cpu_seconds(baseline.proc.pid)
            t0 = baseline.ask({"n": args.fanout, "frame": frame})["t0"]
            base_got = await clients.ask_async({"cmd": "wait", "timeout": 120})
            base_cpu.append(cpu_seconds(baseline.proc.pid) - cpu0)
            base_times.append(base_got["last"] - t0)
            print(f"fan-out round {round_}: ours {got['got']} in {ours_times[-1] * 1000:.0f} ms "
                  f"({ours_cpu[-1]:.2f} CPU s), broadcast {base_got['got']} in {base_times[-1] * 1000:.0f} ms "
                  f"({base_cpu[-1]:.2f} CPU s)", file=sys.stderr)
            await asyncio.sleep(2.5)  # past the burst window, so each round is a fresh single event per person
        ours_fan, base_fan = statistics.median(ours_times), statistics.median(base_times)
        ratio = base_fan / ours_fan
        rows.append((f"fan-out of 1 event to {args.fanout}", f"{args.fanout / ours_fan:,.0f} frames/s",
                     f"{args.fanout / base_fan:,.0f} frames/s", f"{ratio:.2f}",
                     ">= 0.5: " + ("met" if ratio >= 0.5 else "MISSED")))
        # The same comparison in server CPU time: immune to a client process or a busy machine being the limit.
        o_cpu, b_cpu = statistics.median(ours_cpu), statistics.median(base_cpu)
        cpu_ratio = b_cpu / o_cpu if o_cpu > 0 else float("nan")
        rows.append((f"fan-out server CPU per {args.fanout}", f"{o_cpu * 1000:.0f} ms", f"{b_cpu * 1000:.0f} ms",
                     f"{cpu_ratio:.2f}", "no target (what ours costs)"))
        clients.ask({"cmd": "close", "group": "base"})

        # Latency: `rate` events per second for `seconds`, each to one of 500 people, `per_commit` per change.
        targets = ids[:500]
        per = args.per_commit
        commits = int(args.rate * args.seconds) // per
        total = commits * per
        done: dict[int, float] = {}
        clients.ask({"cmd": "latency", "on": True})
        semaphore = asyncio.Semaphore(32)
        begin = time.monotonic() + 0.5

        async def one(commit: int) -> None:
            await asyncio.sleep(max(0.0, begin + commit * per / args.rate - time.monotonic()))
            async with semaphore, services.unit_of_work(None, RequestContext(ip="bench")) as uow:
                for seq in range(commit * per, commit * per + per):
                    uow.notify([targets[seq % len(targets)]], "bench.latency", {"seq": seq})
                uow.audit("bench.notify")
                await uow.commit()
                finished = time.monotonic()
            for seq in range(commit * per, commit * per + per):
                done[seq] = finished

        await asyncio.gather(*(one(i) for i in range(commits)))
        achieved = total / (max(done.values()) - begin)
        await asyncio.sleep(2)
        reply = await clients.ask_async({"cmd": "latency", "on": False})
        arrivals = {int(k): v for k, v in reply["arrivals"].items()}
        latencies = sorted((arrivals[s] - done[s]) * 1000 for s in done if s in arrivals)
        lost = total - len(latencies)
        p50 = statistics.median(latencies)
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        rows.append((f"commit-to-client at {achieved:,.0f} events/s", f"p50 {p50:.1f} ms, p99 {p99:.1f} ms",
                     "-", f"max {latencies[-1]:.1f} ms, lost {lost}",
                     "p99 <= 50 ms: " + ("met" if p99 <= 50 and lost == 0 else "MISSED")))
    finally:
        for child in (clients, baseline, server):
            child.stop()
        await services.bus.close()  # type: ignore[attr-defined]
        await services.close()
        admin = await asyncpg.connect(args.postgres)
        await admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        await admin.close()
    print_table(rows, args)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def print_table(rows: list[tuple[str, str, str, str, str]], args: argparse.Namespace) -> None:
    header = ("measure", "ours", "raw websockets", "ratio / detail", "target")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
    print(f"\nnotify bench: {args.idle} idle, fan-out {args.fanout} x {args.rounds}, {args.rate}/s for "
          f"{args.seconds} s ({args.per_commit} per change), {os.cpu_count()} CPUs")
    for row in [header, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--role", choices=["controller", "server", "baseline", "clients"], default="controller")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="an admin connection; a scratch database is created and dropped")
    parser.add_argument("--idle", type=int, default=10_000)
    parser.add_argument("--fanout", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rate", type=float, default=500)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--per-commit", type=int, default=10,
                        help="events per committed change in the latency run (the audit chain serialises commits "
                             "at the disk's fsync rate, ~50/s here, so 500 events/s needs several per change)")
    parser.add_argument("--database-url")
    parser.add_argument("--workdir")
    parser.add_argument("--port", type=int)
    args = parser.parse_args()
    if args.role == "server":
        serve_app(args)
    elif args.role == "baseline":
        asyncio.run(serve_baseline(args))
    elif args.role == "clients":
        asyncio.run(run_clients())
    else:
        if args.fanout > args.idle:
            parser.error("--fanout cannot exceed --idle (the fan-out uses the idle sockets)")
        asyncio.run(controller(args))


if __name__ == "__main__":
    main()
