"""Node B as a real process (`oa serve`), so that it can be killed with SIGKILL and started again."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from oa.settings import Settings


class NodeProcess:
    def __init__(self, settings: Settings, port: int, log: Path) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            **{k: v for k, v in settings.extra.items() if k.startswith("OA_")},
            "OA_DATABASE_URL": settings.database_url, "OA_DATA_DIR": str(settings.data_dir),
            "OA_KEYS_DIR": str(settings.keys_dir), "OA_NODE_ID": settings.node_id, "OA_PUBLIC_URL": self.url,
            "OA_FRONTEND_DIR": str(settings.data_dir / "no-frontend"), "OA_LOG_JSON": "false",
            "OA_LOG_LEVEL": "WARNING",
        }
        self.process: subprocess.Popen[bytes] | None = None

    async def start(self, timeout: float = 30.0) -> None:
        command = [str(Path(sys.executable).parent / "oa"), "serve", "--port", str(self.port)]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        async with httpx.AsyncClient(timeout=1) as client:
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(f"node B exited with {self.process.returncode}: {self.log.read_text()[-2000:]}")
                try:
                    if (await client.get(self.url + "/healthz")).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                if loop.time() > deadline:
                    raise RuntimeError("node B did not start in time")
                await asyncio.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: no shutdown, open transactions and connections cut off where they are."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
