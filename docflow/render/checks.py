"""Refusing input the layout cannot print faithfully, with a message that says what to change.

Glyph coverage is checked where text is measured (:mod:`docflow.render.typeset`); this module checks the rest:
control characters, the document type, the formats of the marks, and the elements a final copy must have.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from docflow.render.errors import RenderError
from docflow.render.model import CLASSIFICATIONS, DOC_TYPES, URGENCIES, Level, RenderDocument

_COPY_NO = re.compile(r"^\d{6}$")
_MAX_TITLE = 400  # characters; beyond this a "title" is body text pasted into the wrong field


def check_document(doc: RenderDocument, *, preview: bool) -> None:
    """Raise :class:`RenderError` on the first problem found."""
    for where, text in _texts(doc):
        _check_characters(where, text)
    if doc.doc_type not in DOC_TYPES:
        raise RenderError(f"文种“{doc.doc_type}”不是《党政机关公文处理工作条例》规定的15种文种之一")
    for where, value in (
        ("发文机关标志", doc.organ_mark),
        ("标题", doc.title),
        ("发文机关署名", doc.issuer_signature),
    ):
        if not value.strip():
            raise RenderError(f"{where}不能为空")
    if len(doc.title) > _MAX_TITLE:
        raise RenderError(f"标题有{len(doc.title)}字，超过{_MAX_TITLE}字；请精简标题")
    if not preview and not doc.doc_number:
        raise RenderError("正式稿必须有发文字号；尚未编号的稿件请以预览稿方式生成")
    if not preview and doc.is_upward and not doc.signers:
        raise RenderError(f"{doc.doc_type}是上行文，正式稿必须标注签发人")
    if doc.copy_no is not None and not _COPY_NO.match(doc.copy_no):
        raise RenderError(f"份号“{doc.copy_no}”应为6位阿拉伯数字，如 000001")
    if doc.classification is not None and doc.classification not in CLASSIFICATIONS:
        raise RenderError(f"密级“{doc.classification}”应为绝密、机密或秘密")
    if doc.classification_period and not doc.classification:
        raise RenderError("标注了保密期限却没有密级")
    if doc.urgency is not None and doc.urgency not in URGENCIES:
        raise RenderError(f"紧急程度“{doc.urgency}”应为特急或加急")
    for blocks in (doc.body, *(a.body for a in doc.attachments)):
        for block in blocks:
            if block.level not in tuple(Level):
                raise RenderError(f"正文段落的层次 {block.level} 无效：应为 0（段落）到 4（（1））")
    if doc.letter_format and doc.doc_type != "函":
        raise RenderError(f"信函格式只用于函，本文文种为{doc.doc_type}")


def _texts(doc: RenderDocument) -> Iterator[tuple[str, str]]:
    singles = {
        "文种": doc.doc_type,
        "发文机关标志": doc.organ_mark,
        "发文字号": doc.doc_number,
        "标题": doc.title,
        "主送机关": doc.main_recipients,
        "发文机关署名": doc.issuer_signature,
        "份号": doc.copy_no,
        "密级": doc.classification,
        "保密期限": doc.classification_period,
        "紧急程度": doc.urgency,
        "附注": doc.note,
        "抄送机关": doc.cc,
        "印发机关": doc.printer,
    }
    for where, text in singles.items():
        if text:
            yield where, text
    for signer in doc.signers:
        yield "签发人", signer
    for note in doc.attachment_notes:
        yield "附件说明", note
    for number, block in enumerate(doc.body, start=1):
        yield f"正文第{number}段", block.text
    for attachment in doc.attachments:
        yield "附件标题", attachment.title
        for number, block in enumerate(attachment.body, start=1):
            yield f"附件“{attachment.title[:10]}”第{number}段", block.text


def _check_characters(where: str, text: str) -> None:
    for position, char in enumerate(text, start=1):
        category = unicodedata.category(char)
        # Cc: control characters (tab, newline, bell...); Cf: invisible format characters;
        # Cs/Co/Cn: surrogates, private-use and unassigned code points, which no font can be trusted to
        # draw.
        if category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            kind = "换行或控制字符" if category == "Cc" else "不可见或未定义的字符"
            raise RenderError(
                f"{where}第{position}个字符是{kind}（U+{ord(char):04X}），无法排版；请删除它"
                + ("，分段请另起一个段落" if char in "\r\n" else "")
            )
