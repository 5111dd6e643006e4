"""From a document row to what is printed: the stored content, number and sign-off mapped onto `RenderDocument`.

Pure: the facts the row does not hold (the signer's name, the attachment titles, the seal picture, today's date)
are gathered by the caller and passed in as `RenderFacts`. The rules of the mapping:

- 成文日期 is the content's `written_date`; when the drafter left it empty, the day of 签发 (in China time); in a
  preview of an unsigned document, today.
- 主送/抄送 are the recipients' names joined with "、" (the 主送 line ends with "：", as printed).
- 附件说明 lists the attachment titles, in upload order (the renderer numbers them when there are several).
- Headings get their printed numbers (一、 （一） 1. （1）) from their position: the stored body holds none.
- 函 uses the letter format (信函格式), whose top line is the organ's name rather than "……文件".
- 上行文 (报告, 请示) print 签发人: on the final copy the person who signed in the flow; on a preview, the names
  the drafter wrote in the content.
- The seal picture appears only on the final copy; a preview never shows it (the renderer also refuses to).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from docflow.outgoing.models import Document
from docflow.render.model import UPWARD_DOC_TYPES, BodyBlock, RenderDocument
from docflow.rules.body import Block, heading_marker, heading_numbers

CHINA = ZoneInfo("Asia/Shanghai")
LETTER_DOC_TYPE = "函"


@dataclass(frozen=True)
class RenderFacts:
    """What a rendering needs beyond the document row."""

    today: date  # in China time; the 印发日期 of a preview, and its 成文日期 before 签发
    signer_names: tuple[str, ...] = ()  # of the sign-off, final copy only
    attachment_titles: tuple[str, ...] = ()
    seal_image: bytes | None = None
    print_date: date | None = None  # 印发日期 of the final copy (the day of 用印); a preview uses `today`


def signoff_date(flow: Mapping[str, Any]) -> date | None:
    """The day (China time) the document was signed off, if it was."""
    signoff = flow.get("signoff")
    if not signoff or not signoff.get("at"):
        return None
    at = datetime.fromisoformat(str(signoff["at"]))
    if at.tzinfo is None:  # stored in UTC by the flow codec
        at = at.replace(tzinfo=UTC)
    return at.astimezone(CHINA).date()


def signoff_signer_id(flow: Mapping[str, Any]) -> int | None:
    signoff = flow.get("signoff")
    return int(signoff["signer"]) if signoff and signoff.get("signer") is not None else None


def to_render_document(document: Document, facts: RenderFacts, *, preview: bool) -> RenderDocument:
    content: Mapping[str, Any] = document.content
    doc_type = str(content["doc_type"])
    letter = doc_type == LETTER_DOC_TYPE
    organ_mark = str(content["issuer_mark"])
    if letter:
        organ_mark = organ_mark.removesuffix("文件")  # 信函格式 prints the organ's full name, not "……文件"
    printer = str(content.get("printing_organ") or "") or None
    return RenderDocument(
        doc_type=doc_type,
        organ_mark=organ_mark,
        title=str(content["title"]),
        issuer_signature="\u3000".join(str(name) for name in content.get("issuer_names") or ()),
        date=_written_date(document, facts),
        body=numbered_body(content.get("body") or ()),
        doc_number=document.doc_number,
        main_recipients=_recipient_line(content.get("main_recipients"), "："),
        copy_no=content.get("copy_number") or None,
        classification=content.get("classification") or None,
        classification_period=content.get("secrecy_period") or None,
        urgency=content.get("urgency") or None,
        signers=_signers(doc_type, content, facts, preview=preview),
        attachment_notes=facts.attachment_titles,
        seal_image=None if preview else facts.seal_image,
        note=str(content.get("notes") or "") or None,
        cc=_recipient_line(content.get("copy_recipients"), "") or None,
        printer=printer,
        print_date=(facts.today if preview else facts.print_date or facts.today) if printer else None,
        letter_format=letter,
    )


def numbered_body(stored: Sequence[Mapping[str, Any]]) -> tuple[BodyBlock, ...]:
    """The stored blocks with their heading numbers written in front, as the renderer expects."""
    blocks = [Block(int(b["level"]), str(b["text"])) for b in stored]
    return tuple(
        BodyBlock(b.level, b.text if b.level == 0 else heading_marker(b.level, n) + b.text)
        for b, n in zip(blocks, heading_numbers(blocks), strict=True)
    )


def _written_date(document: Document, facts: RenderFacts) -> date:
    written = document.content.get("written_date")
    if written:
        return date.fromisoformat(str(written))
    return signoff_date(document.flow or {}) or facts.today


def _recipient_line(recipients: Sequence[Mapping[str, Any]] | None, ending: str) -> str:
    names = [str(r["name"]) for r in recipients or () if r.get("name")]
    return "、".join(names) + ending if names else ""


def _signers(doc_type: str, content: Mapping[str, Any], facts: RenderFacts, *, preview: bool) -> tuple[str, ...]:
    if doc_type not in UPWARD_DOC_TYPES:
        return ()
    if preview:
        return tuple(str(name) for name in content.get("signers") or ())
    # The final copy prints who really signed in the flow, whatever the drafter expected.
    return facts.signer_names
