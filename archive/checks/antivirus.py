"""The virus-scan hook: ClamAV when it is installed, an honest "not installed" when it is not.

This is the one module of ``archive.checks`` that does I/O (it runs a program). The caller runs the
scanner over the extracted files and hands the ``VirusScanOutcome`` to the pure checks through the
``CheckContext``. ``clamdscan`` (the daemon client, fast) is preferred over ``clamscan``. ``which`` and
``run`` are injectable so tests use fakes instead of a real ClamAV.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any


class ScanStatus(StrEnum):
    CLEAN = "clean"
    INFECTED = "infected"
    NOT_INSTALLED = "not_installed"
    ERROR = "error"


@dataclass(frozen=True)
class VirusScanOutcome:
    status: ScanStatus
    engine: str
    detail: str


ENGINES = ("clamdscan", "clamscan")


class ClamAvScanner:
    """Callable: ``scanner(paths) -> VirusScanOutcome``."""

    def __init__(
        self,
        *,
        which: Callable[[str], str | None] = shutil.which,
        run: Callable[..., subprocess.CompletedProcess[Any]] = subprocess.run,
        timeout_seconds: float = 900,
    ) -> None:
        self._which = which
        self._run = run
        self._timeout = timeout_seconds

    def executable(self) -> str | None:
        for engine in ENGINES:
            found = self._which(engine)
            if found:
                return found
        return None

    def __call__(self, paths: Sequence[Path]) -> VirusScanOutcome:
        executable = self.executable()
        if executable is None:
            return VirusScanOutcome(
                ScanStatus.NOT_INSTALLED,
                "ClamAV",
                "ClamAV 未安装：PATH 中没有 clamdscan 或 clamscan，未做病毒扫描",
            )
        command = [executable, "--no-summary", "--infected", *(str(path) for path in paths)]
        try:
            result = self._run(command, capture_output=True, text=True, timeout=self._timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return VirusScanOutcome(ScanStatus.ERROR, executable, f"病毒扫描未能完成：{exc}")
        # ClamAV exit codes: 0 nothing found, 1 virus found, 2 an error occurred.
        if result.returncode == 0:
            return VirusScanOutcome(ScanStatus.CLEAN, executable, f"已扫描 {len(paths)} 个文件，未发现病毒")
        if result.returncode == 1:
            return VirusScanOutcome(ScanStatus.INFECTED, executable, (result.stdout or "").strip())
        return VirusScanOutcome(ScanStatus.ERROR, executable, (result.stderr or result.stdout or "").strip())
