"""Fixtures of the browser tests: the real app serving the built UI (frontend/dist) on the demo county, and a
headless Debian Chromium driven by the Python `playwright` package (its own browsers are never downloaded).

The built UI is required: `./test` builds it (scripts/setup-env runs `npm run build`). Without it these tests
FAIL with what to run; they never skip.
"""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from oa.settings import Settings

REPO = Path(__file__).resolve().parents[2]
DIST = REPO / "frontend" / "dist"
ARTIFACTS = REPO / "artifacts" / "e2e"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The shared settings, but serving the built UI at `/` (the shared fixture points at no UI at all)."""
    if not (DIST / "index.html").is_file():
        pytest.fail(f"The built UI is missing ({DIST / 'index.html'}). Build it first: "
                    "`cd frontend && npm ci && npm run build` (./test does this through scripts/setup-env).")
    return dataclasses.replace(settings, frontend_dir=DIST)


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    try:
        from playwright.async_api import async_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        pytest.fail("The Python package `playwright` is missing: `.venv/bin/pip install -e '.[test]'`.")
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install chromium` (.ci/run installs it).")
    async with async_playwright() as driver:
        # launch() gives every run a fresh temporary profile (user-data-dir), removed on close.
        chromium = await driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()


class ConsoleErrors:
    """Every console error and uncaught page error of the pages it watches, with the page's name."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.provoked: list[str] = []
        self._provoking = False

    def watch(self, page: Any, name: str) -> None:
        page.on("console", lambda msg: self._console(name, msg.type, msg.text))
        page.on("pageerror", lambda error: self.seen.append(f"{name}: pageerror: {error}"))

    def _console(self, name: str, kind: str, text: str) -> None:
        if kind != "error":
            return
        # Chromium logs every 4xx answer as "Failed to load resource"; only the one the test provokes is expected.
        if self._provoking and "Failed to load resource" in text and "status of 4" in text:
            self.provoked.append(text)
        else:
            self.seen.append(f"{name}: console.error: {text}")

    @contextlib.contextmanager
    def provoking(self) -> Iterator[None]:
        """While the test provokes a refusal on purpose, the browser's log line of that 4xx is not a failure."""
        self._provoking = True
        try:
            yield
        finally:
            self._provoking = False


@pytest.fixture
def console_errors() -> ConsoleErrors:
    return ConsoleErrors()


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Callable[[Any, str], Any]:
    """`await shots(page, "03-reviewer-countersign")` saves artifacts/e2e/<test id>/03-reviewer-countersign.png."""
    folder = ARTIFACTS / request.node.name.replace("[", "-").replace("]", "")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)

    async def take(page: Any, step: str) -> None:
        await page.screenshot(path=str(folder / f"{step}.png"), full_page=True)

    return take
