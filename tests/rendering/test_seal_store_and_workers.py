"""The seal picture, the content-addressed store of final copies and the per-node limit on renders, each on its
own (no database, no app)."""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path

import anyio
import pytest
from PIL import Image

from docflow.render import FontConfig
from docflow.render.errors import FontError
from docflow.render.fontfiles import FontSet, resolve_fonts
from docflow.rendering.seal_image import SEAL_RED, SealImages, draw_seal
from docflow.rendering.store import RenderedStore, StoredCopyDamaged, StoredCopyMissing
from docflow.rendering.workers import render_concurrency, run_limited
from oa.settings import Settings, SettingsError
from tests.rendering.rendering_helpers import ARTIFACTS


@pytest.fixture(scope="module")
def fonts() -> FontSet:
    return resolve_fonts(FontConfig.defaults())


def red_share(image: Image.Image, box: tuple[int, int, int, int]) -> float:
    region = image.crop(box).convert("RGBA")
    pixels = [region.getpixel((x, y)) for x in range(region.width) for y in range(region.height)]
    red = sum(1 for r, g, b, a in pixels if a > 128 and r > 150 and g < 80 and b < 80)  # type: ignore[misc]
    return red / len(pixels)


def test_a_seal_is_a_red_ring_with_a_star_and_the_name_on_transparent_ground(fonts):
    png = draw_seal("象山县人民政府", fonts)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "seal-XSX.png").write_bytes(png)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.mode == "RGBA" and image.size == (600, 600)
    assert image.getpixel((5, 5))[3] == 0  # outside the ring: transparent
    assert image.getpixel((300, 8))[:3] == SEAL_RED[:3]  # the ring at the top
    assert image.getpixel((300, 300))[:3] == SEAL_RED[:3]  # the star in the middle
    assert red_share(image, (150, 60, 450, 190)) > 0.08  # the name along the upper arc is inked
    assert red_share(image, (200, 420, 400, 540)) == 0  # the lower arc is left empty


def test_a_name_with_a_character_no_font_has_is_refused(fonts):
    with pytest.raises(FontError, match=r"U\+2A6D6"):
        draw_seal("象山县\U0002a6d6政府", fonts)


def test_the_seal_is_drawn_once_per_unit_and_again_when_the_unit_is_renamed(tmp_path, fonts):
    seals = SealImages(tmp_path)
    first = seals.for_unit("XSX", "象山县人民政府", fonts)
    path = tmp_path / "seals" / "XSX.png"
    stamp = path.stat().st_mtime_ns
    assert seals.for_unit("XSX", "象山县人民政府", fonts) == first and path.stat().st_mtime_ns == stamp
    renamed = seals.for_unit("XSX", "象山县人民政府办公室", fonts)
    assert renamed != first and path.read_bytes() == renamed
    path.write_bytes(b"not a png")
    assert seals.for_unit("XSX", "象山县人民政府办公室", fonts) == renamed  # a damaged cache is redrawn
    with pytest.raises(ValueError, match="cannot name a file"):
        seals.for_unit("../etc", "x", fonts)


def test_the_store_keeps_a_copy_under_its_digest_and_refuses_changed_bytes(tmp_path: Path):
    store = RenderedStore(tmp_path)
    digest = store.put(b"%PDF-1.7 final copy")
    assert store.put(b"%PDF-1.7 final copy") == digest
    assert store.read_checked(digest, 19) == b"%PDF-1.7 final copy"
    assert [p.name for p in (tmp_path / "rendered").iterdir()] == [f"{digest}.pdf"]  # no partial file left
    (tmp_path / "rendered" / f"{digest}.pdf").write_bytes(b"%PDF-1.7 final cOpy")
    with pytest.raises(StoredCopyDamaged, match="已被改动"):
        store.read_checked(digest, 19)
    assert store.put(b"%PDF-1.7 final copy") == digest  # storing again repairs a damaged file
    assert store.read_checked(digest, 19) == b"%PDF-1.7 final copy"
    (tmp_path / "rendered" / f"{digest}.pdf").unlink()
    with pytest.raises(StoredCopyMissing):
        store.read_checked(digest, 19)
    with pytest.raises(ValueError):
        store.path_of("../../etc/passwd")


def settings_with(tmp_path: Path, **variables: str) -> Settings:
    return Settings.from_environ({"OA_DATA_DIR": str(tmp_path), **variables})


@pytest.mark.parametrize(("value", "expected"), [("", 2), ("1", 1), (" 8 ", 8)])
def test_the_render_concurrency_comes_from_its_variable(tmp_path, value, expected):
    assert render_concurrency(settings_with(tmp_path, OA_RENDER_CONCURRENCY=value)) == expected


@pytest.mark.parametrize("value", ["two", "0", "65"])
def test_a_bad_render_concurrency_is_refused_naming_the_variable(tmp_path, value):
    with pytest.raises(SettingsError, match="OA_RENDER_CONCURRENCY"):
        render_concurrency(settings_with(tmp_path, OA_RENDER_CONCURRENCY=value))


@pytest.mark.parametrize("limit", [1, 3])
async def test_no_more_renders_run_at_once_than_the_limit_and_the_loop_stays_free(tmp_path, limit):
    settings = settings_with(tmp_path, OA_RENDER_CONCURRENCY=str(limit))
    lock, running, peak = threading.Lock(), [0], [0]

    def work() -> None:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.1)  # blocking, like a render
        with lock:
            running[0] -= 1

    ticks = 0

    async def heartbeat() -> None:
        nonlocal ticks
        while True:
            await anyio.sleep(0.01)
            ticks += 1

    async with anyio.create_task_group() as tasks:
        tasks.start_soon(heartbeat)
        async with anyio.create_task_group() as renders:
            for _ in range(6):
                renders.start_soon(run_limited, settings, work)
        tasks.cancel_scope.cancel()
    assert peak[0] == limit
    assert ticks >= 10  # the event loop kept running while the renders blocked their threads
