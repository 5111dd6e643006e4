"""Finding the configured fonts on this machine and reading what the layout needs from them.

A family name is resolved with ``fc-match`` (the same fontconfig that WeasyPrint's Pango uses, so the
face measured here is the face drawn); metrics, glyph coverage and ink bounds come from the font file via
fontTools.
A role whose preferred font is missing falls back along its chain with a logged warning; a character that no
configured face can draw is refused before rendering (see :mod:`docflow.render.checks`), never left blank.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import shutil
import subprocess
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fontTools.pens.boundsPen import BoundsPen  # type: ignore[import-untyped]
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from docflow.render.errors import FontError
from docflow.render.fonts import FontConfig, FontRole, FontSpec

log = logging.getLogger(__name__)
_LOCK = threading.RLock()


@dataclass(frozen=True, slots=True)
class Face:
    """One concrete font face: how CSS names it and where its file is."""

    css_family: str
    bold: bool
    path: Path
    index: int
    from_file: bool  # declared with @font-face rather than found by family name

    @property
    def _font(self) -> _FontData:
        return _load(self.path, self.index)

    @property
    def ascent(self) -> float:
        """Ascender in em, as Pango places a line box (hhea)."""
        return float(self._font.ascent)

    @property
    def descent(self) -> float:
        """Descender in em, positive downwards (hhea)."""
        return float(self._font.descent)

    def covers(self, char: str) -> bool:
        return ord(char) in self._font.cmap

    def advance(self, char: str) -> float:
        """Advance width of ``char`` in em."""
        data = self._font
        return data.advances[data.cmap[ord(char)]] / data.units_per_em

    def ink_top(self, text: str) -> float:
        """Height in em above the baseline of the highest inked point of ``text``."""
        return max((self._font.glyph_top(ch) for ch in text if self.covers(ch)), default=0.88)


class _FontData:
    """The parts of a font file the layout reads, loaded once per process."""

    def __init__(self, path: Path, index: int) -> None:
        self._tt = TTFont(str(path), fontNumber=index, lazy=True)
        self.units_per_em: int = self._tt["head"].unitsPerEm
        hhea = self._tt["hhea"]
        self.ascent = hhea.ascent / self.units_per_em
        self.descent = -hhea.descent / self.units_per_em
        self.cmap: dict[int, str] = dict(self._tt.getBestCmap() or {})
        self.advances: Mapping[str, int] = _Advances(self._tt["hmtx"])
        self._glyphs: Any = None

    def glyph_top(self, char: str) -> float:
        # fontTools decompiles outlines lazily and is not thread-safe; renders may run in worker threads.
        with _LOCK:
            if self._glyphs is None:
                self._glyphs = self._tt.getGlyphSet()
            pen = BoundsPen(self._glyphs)
            self._glyphs[self.cmap[ord(char)]].draw(pen)
        bounds = pen.bounds
        return 0.0 if bounds is None else float(bounds[3]) / self.units_per_em


class _Advances(Mapping[str, int]):
    def __init__(self, hmtx: Any) -> None:
        self._hmtx = hmtx

    def __getitem__(self, name: str) -> int:
        return int(self._hmtx[name][0])

    def __iter__(self) -> Any:
        return iter(self._hmtx.metrics)

    def __len__(self) -> int:
        return len(self._hmtx.metrics)


def _load(path: Path, index: int) -> _FontData:
    with _LOCK:
        return _load_unlocked(path, index)


@functools.lru_cache(maxsize=32)
def _load_unlocked(path: Path, index: int) -> _FontData:
    return _FontData(path, index)


@dataclass(frozen=True, slots=True)
class FontSet:
    """The faces available for each role, best first."""

    faces: Mapping[FontRole, tuple[Face, ...]]

    def face_for(self, role: FontRole, char: str) -> Face | None:
        """The first face of the role's chain that has a glyph for ``char``."""
        for face in self.faces[role]:
            if face.covers(char):
                return face
        return None

    def primary(self, role: FontRole) -> Face:
        return self.faces[role][0]


def resolve_fonts(config: FontConfig) -> FontSet:
    """Find a face for every spec of every role; warn when a role loses its preferred font."""
    faces: dict[FontRole, tuple[Face, ...]] = {}
    for role in FontRole:
        found = [face for spec in config.chains[role] if (face := _find(spec)) is not None]
        if not found:
            raise FontError(
                f"没有可用于{role.chinese_name}的中文字体：请安装 fonts-noto-cjk，或用 {role.env_var} 指定字体文件"
            )
        wanted = config.chains[role][0]
        if _find(wanted) is None:
            source = f"{role.env_var}={wanted.describe()}" if role in config.configured else wanted.describe()
            log.warning(
                "字体角色 %s（%s）：找不到字体 %s，改用 %s；字形齐全但与规定字体不同",
                role.chinese_name,
                role.value,
                source,
                found[0].path.name,
            )
        faces[role] = tuple(dict.fromkeys(found))
    return FontSet(faces=faces)


@functools.lru_cache(maxsize=64)
def _find(spec: FontSpec) -> Face | None:
    if spec.path is not None:
        return _face_from_file(spec.path)
    assert spec.family is not None
    return _face_from_fontconfig(spec.family, spec.bold)


def _face_from_file(path: Path) -> Face | None:
    if not path.is_file():
        return None
    try:
        _load(path, 0)
    except Exception:  # fontTools raises many kinds of errors on a file that is not a font
        log.warning("字体文件 %s 无法读取，已忽略", path)
        return None
    digest = hashlib.sha256(str(path).encode()).hexdigest()[:12]
    return Face(css_family=f"oa-font-{digest}", bold=False, path=path, index=0, from_file=True)


def _face_from_fontconfig(family: str, bold: bool) -> Face | None:
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    pattern = f"{family}:bold" if bold else family
    out = subprocess.run(  # noqa: S603 - fixed binary, the pattern is a single argument
        [fc_match, "-f", "%{file}\n%{index}\n%{family}\n", pattern],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    ).stdout.split("\n")
    if len(out) < 3 or not out[0]:
        return None
    # fontconfig always answers with *some* font; it is ours only if the family is among the face's names.
    names = {name.strip().casefold() for name in out[2].split(",")}
    if family.casefold() not in names:
        return None
    return Face(css_family=family, bold=bold, path=Path(out[0]), index=int(out[1] or 0), from_file=False)
