"""Which font plays each of the four typographic roles of a 公文, read from the environment.

GB/T 9704 names four faces: 仿宋 for the body, 小标宋 for the 发文机关标志 and titles, 黑体 for first-level
headings and the 密级/紧急程度 marks, 楷体 for second-level headings and 签发人 names. Offices that own the
commercial fonts point the variables below at them; everybody else gets free Debian fonts. Each variable holds
either a fontconfig family, optionally with ``:bold`` (``Noto Serif CJK SC:bold``), or the absolute path of a
font file (.ttf/.otf; from a .ttc collection the first face is used).

This module only parses configuration; finding the files and reading glyphs is
:mod:`docflow.render.fontfiles`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from docflow.render.errors import FontError

_FAMILY_NAME = re.compile(r"[\w .\-]+")


class FontRole(StrEnum):
    FANGSONG = "fangsong"  # 仿宋
    XIAOBIAOSONG = "xiaobiaosong"  # 小标宋
    HEITI = "heiti"  # 黑体
    KAITI = "kaiti"  # 楷体

    @property
    def env_var(self) -> str:
        return f"OA_FONT_{self.value.upper()}"

    @property
    def chinese_name(self) -> str:
        return _CHINESE_NAMES[self]


_CHINESE_NAMES = {
    FontRole.FANGSONG: "仿宋",
    FontRole.XIAOBIAOSONG: "小标宋",
    FontRole.HEITI: "黑体",
    FontRole.KAITI: "楷体",
}


@dataclass(frozen=True, slots=True)
class FontSpec:
    """A font asked for by family name (resolved through fontconfig) or by file path."""

    family: str | None = None
    path: Path | None = None
    bold: bool = False

    @classmethod
    def parse(cls, text: str) -> FontSpec:
        """Read ``Family``, ``Family:bold`` or ``/path/to/font.otf``."""
        text = text.strip()
        if not text:
            raise FontError("字体配置为空：请写字体名称（如 Noto Serif CJK SC）或字体文件的绝对路径")
        if text.startswith("/"):
            return cls(path=Path(text))
        family, _, style = text.partition(":")
        style = style.strip().lower()
        if style not in ("", "bold", "regular"):
            raise FontError(f"字体配置 {text!r} 的样式只能是 :bold 或 :regular")
        family = family.strip()
        # The name goes into CSS and into a fontconfig pattern: keep it to what real family names use.
        if not _FAMILY_NAME.fullmatch(family):
            raise FontError(f"字体名称 {family!r} 含有不允许的字符；只能包含文字、数字、空格和 - _ .")
        return cls(family=family, bold=style == "bold")

    def describe(self) -> str:
        if self.path is not None:
            return str(self.path)
        return f"{self.family}:bold" if self.bold else str(self.family)


# Free fonts packaged by Debian (fonts-noto-cjk, fonts-arphic-ukai, fonts-wqy-zenhei). Noto Serif is a
# Song face, the nearest free match to 仿宋; its Bold stands in for 小标宋.
DEFAULT_SPECS: Mapping[FontRole, tuple[FontSpec, ...]] = {
    FontRole.FANGSONG: (FontSpec("Noto Serif CJK SC"),),
    FontRole.XIAOBIAOSONG: (FontSpec("Noto Serif CJK SC", bold=True),),
    FontRole.HEITI: (FontSpec("Noto Sans CJK SC"), FontSpec("WenQuanYi Zen Hei")),
    FontRole.KAITI: (FontSpec("AR PL UKai CN"),),
}
# Tried after a role's own fonts, so that a missing font or glyph degrades to another face, never to a blank.
LAST_RESORT: tuple[FontSpec, ...] = (
    FontSpec("Noto Serif CJK SC"),
    FontSpec("Noto Sans CJK SC"),
    FontSpec("WenQuanYi Zen Hei"),
    FontSpec("AR PL UKai CN"),
)


@dataclass(frozen=True, slots=True)
class FontConfig:
    """For each role the fonts to try in order: the configured one, the role's defaults, any CJK face."""

    chains: Mapping[FontRole, tuple[FontSpec, ...]]
    configured: Mapping[FontRole, FontSpec]

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> FontConfig:
        """Build the configuration from ``OA_FONT_FANGSONG``, ``OA_FONT_XIAOBIAOSONG``, ``OA_FONT_HEITI``,
        ``OA_FONT_KAITI``; unset or empty variables keep the defaults."""
        configured: dict[FontRole, FontSpec] = {}
        for role in FontRole:
            value = environ.get(role.env_var, "").strip()
            if value:
                configured[role] = FontSpec.parse(value)
        return cls.build(configured)

    @classmethod
    def defaults(cls) -> FontConfig:
        return cls.build({})

    @classmethod
    def build(cls, configured: Mapping[FontRole, FontSpec]) -> FontConfig:
        chains: dict[FontRole, tuple[FontSpec, ...]] = {}
        for role in FontRole:
            wanted = (configured[role],) if role in configured else ()
            chain: list[FontSpec] = []
            for spec in (*wanted, *DEFAULT_SPECS[role], *LAST_RESORT):
                if spec not in chain:
                    chain.append(spec)
            chains[role] = tuple(chain)
        return cls(chains=chains, configured=dict(configured))
