"""The structured body (正文): heading levels of official documents, parsing, rendering and checks.

A body is a tuple of `Block(level, text)`. Level 0 is an ordinary paragraph; levels 1–4 are the
headings GB/T 9704-2012 §7.3.3 numbers 一、 （一） 1. （1）. The number is *derived* from the
position of the block (it is never stored), so inserting or moving a section renumbers the rest:
`render_body` always prints correct numbers and `parse_body` only uses the printed number to
recognise the level.

Level skipping. Drafting guides for 公文 say the four orders 可以越级使用，但不能倒置: a short notice
may go 一、 → 1. directly (no （一）), but under one parent the children must all sit at the same
level, and a shallower marker may not appear below a deeper one (一、 → 1. → （一） is inverted).
`validate_body` enforces exactly that instead of a strict "no jump" rule, which would reject
documents that offices really issue.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

MAX_LEVEL = 4
_CN_DIGITS = "零一二三四五六七八九"
_CN_NUMERAL = "[一二三四五六七八九十百零〇]+"
# Order matters: （一） must be tried before （1） and both before 1., so each line gets its deepest fit.
_MARKERS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^\s*({_CN_NUMERAL})[、，,]\s*")),
    (2, re.compile(rf"^\s*[（(]\s*({_CN_NUMERAL})\s*[）)]\s*")),
    (4, re.compile(r"^\s*[（(]\s*(\d+)\s*[）)]\s*")),
    # “1、” is a common slip for “1.”; recognising it lets renumbering print the standard form.
    (3, re.compile(r"^\s*(\d+)\s*[.．、](?!\d)\s*")),
)


class BodyError(ValueError):
    """The stored form of a body cannot be read (bad JSON, bad level)."""


@dataclass(frozen=True)
class Block:
    """One paragraph (level 0) or heading (levels 1–4) of the body; `text` excludes the number."""

    level: int
    text: str

    def __post_init__(self) -> None:
        if not 0 <= self.level <= MAX_LEVEL:
            raise BodyError(f"正文层次应在 0–{MAX_LEVEL} 之间，实际为 {self.level}")


@dataclass(frozen=True)
class BodyIssue:
    """A structural problem found by `validate_body`; `index` is the block's position."""

    index: int
    code: str
    message: str


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (heading numbers rarely pass 99)."""
    if n <= 0:
        raise ValueError("heading numbers start at 1")
    if n < 10:
        return _CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        tail = ""
    elif rest < 10:
        tail = "零" + _CN_DIGITS[rest]
    else:
        tail = chinese_numeral(rest) if rest >= 20 else "一" + chinese_numeral(rest)
    return chinese_numeral(hundreds) + "百" + tail


def heading_marker(level: int, n: int) -> str:
    """The printed number of the n-th heading of a level: 一、 （一） 1. （1）."""
    if level == 1:
        return f"{chinese_numeral(n)}、"
    if level == 2:
        return f"（{chinese_numeral(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    raise ValueError(f"level {level} has no heading number")


def heading_numbers(blocks: Sequence[Block]) -> list[int]:
    """The position number of each heading (0 for paragraphs); a heading resets all deeper counters."""
    counters = [0] * (MAX_LEVEL + 1)
    numbers: list[int] = []
    for block in blocks:
        if block.level == 0:
            numbers.append(0)
            continue
        counters[block.level] += 1
        for deeper in range(block.level + 1, MAX_LEVEL + 1):
            counters[deeper] = 0
        numbers.append(counters[block.level])
    return numbers


def normalise_text(text: str) -> str:
    """NFC, no surrounding whitespace, inner line breaks folded: one block is one printed line."""
    folded = " ".join(part.strip() for part in text.splitlines() if part.strip())
    return unicodedata.normalize("NFC", folded.strip())


def parse_line(line: str) -> Block:
    """Recognise the heading number at the start of one line (if any) and strip it."""
    for level, pattern in _MARKERS:
        match = pattern.match(line)
        if match is not None and match.end() < len(line.rstrip()):
            return Block(level, normalise_text(line[match.end() :]))
    return Block(0, normalise_text(line))


def parse_body(text: str) -> tuple[Block, ...]:
    """Split plain text into blocks, one per non-blank line, recognising heading numbers.

    A paragraph that itself begins like a heading number (“1.5亿元” is safe, “一、” followed by
    text is not) becomes a heading: plain text carries no other signal. The editor stores blocks,
    so this only matters for pasted text.
    """
    return tuple(parse_line(line) for line in text.splitlines() if line.strip())


def render_lines(blocks: Sequence[Block]) -> list[str]:
    """Each block as its printed line, numbers computed from position; paragraphs indented 2 字."""
    lines: list[str] = []
    for block, n in zip(blocks, heading_numbers(blocks), strict=True):
        if block.level == 0:
            lines.append("\u3000\u3000" + block.text)
        else:
            lines.append(heading_marker(block.level, n) + block.text)
    return lines


def render_body(blocks: Sequence[Block]) -> str:
    """The body as plain text; `parse_body(render_body(b)) == renumber(b)` for normalised blocks."""
    return "\n".join(render_lines(blocks))


def renumber(blocks: Sequence[Block]) -> tuple[Block, ...]:
    """Normalise the text of every block; numbering itself is positional, so this is all it takes."""
    return tuple(Block(block.level, normalise_text(block.text)) for block in blocks)


def validate_body(blocks: Sequence[Block]) -> list[BodyIssue]:
    """Structural checks: non-empty blocks, and heading orders never inverted under one parent."""
    issues: list[BodyIssue] = []
    if not blocks:
        issues.append(BodyIssue(0, "body.empty", "正文不能为空"))
    # stack of (parent level, level its children use); level 0 is the document itself.
    child_level: dict[int, int] = {}
    path: list[int] = [0]
    for index, block in enumerate(blocks):
        if not block.text.strip():
            issues.append(BodyIssue(index, "body.blank", f"第 {index + 1} 段内容为空，请删除或补充"))
        if block.level == 0:
            continue
        while path[-1] >= block.level:
            child_level.pop(path.pop(), None)
        parent = path[-1]
        expected = child_level.setdefault(parent, block.level)
        if block.level < expected:
            issues.append(
                BodyIssue(
                    index,
                    "body.inverted",
                    f"第 {index + 1} 段的层次序数“{heading_marker(block.level, 1)}”不能用在"
                    f"“{heading_marker(expected, 1)}”之后的同一层级中（结构层次序数可以越级，但不能倒置）",
                )
            )
            # Treat it as a sibling at the expected level so one mistake yields one issue.
            continue
        path.append(block.level)
    return issues


def body_to_json(blocks: Sequence[Block]) -> str:
    """The canonical JSON of a body: stable key order, no spaces, UTF-8 text kept as is.

    Seals sign this form, so it must never depend on dict order or platform line endings.
    """
    payload = [{"level": block.level, "text": normalise_text(block.text)} for block in blocks]
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def body_from_json(data: str) -> tuple[Block, ...]:
    """Read the canonical JSON back; raise BodyError on anything else."""
    try:
        payload = json.loads(data)
    except json.JSONDecodeError as exc:
        raise BodyError(f"正文数据不是有效的 JSON：{exc.msg}") from exc
    if not isinstance(payload, list):
        raise BodyError("正文数据应为段落列表")
    blocks: list[Block] = []
    for item in payload:
        if not isinstance(item, dict) or set(item) != {"level", "text"}:
            raise BodyError("每个段落应只包含 level 与 text")
        level, text = item["level"], item["text"]
        if not isinstance(level, int) or isinstance(level, bool) or not isinstance(text, str):
            raise BodyError("段落的 level 应为整数，text 应为字符串")
        blocks.append(Block(level, text))
    return tuple(blocks)
