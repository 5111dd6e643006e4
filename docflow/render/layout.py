"""Laying out a whole 公文: from a :class:`RenderDocument` to positioned pages, without drawing anything.

The order follows the document: 版头 on the first page, then title, 主送机关, body, 附件说明, signature and
附注 flowing on the 22-line grid, each attachment from a new page, the 版记 on the last even page, and finally
page numbers and, on a preview, the 预览稿 mark.
"""

from __future__ import annotations

from docflow.render.body import (
    attachment_groups,
    attachment_notes_group,
    body_groups,
    note_lines,
    recipients_group,
    signature_lines,
    title_group,
)
from docflow.render.boxes import Page, Watermark
from docflow.render.checks import check_document
from docflow.render.flow import Group, Paginator
from docflow.render.fontfiles import FontSet
from docflow.render.fonts import FontRole
from docflow.render.header import draw_header, draw_letter_header
from docflow.render.imprint import imprint_lines, number_pages, place_imprint
from docflow.render.model import RenderDocument
from docflow.render.typeset import Typesetter

PREVIEW_MARK = "预览稿"


def lay_out(doc: RenderDocument, fonts: FontSet, *, preview: bool = False) -> list[Page]:
    """Lay out ``doc``; raises :class:`~docflow.render.errors.RenderError` on input it cannot print."""
    check_document(doc, preview=preview)
    ts = Typesetter(fonts)
    first = Page()
    title_line = draw_letter_header(doc, ts, first) if doc.letter_format else draw_header(doc, ts, first)
    paginator = Paginator.starting(first, title_line)

    groups: list[Group] = [title_group(ts, doc.title)]
    recipients = recipients_group(ts, doc.main_recipients)
    if recipients:
        groups.append(recipients)
    groups.extend(body_groups(ts, doc.body, "正文"))
    groups.extend(attachment_notes_group(ts, doc.attachment_notes))
    # A preview never shows the seal: it is applied only at 用印, to the final copy.
    seal = None if preview else doc.seal_image
    closing = [*signature_lines(ts, doc, seal), *note_lines(ts, doc.note)]
    last = groups.pop() if groups else ()
    groups.append((*last, *closing))  # the signature never stands on a page without text
    paginator.place(groups)

    many = len(doc.attachments) > 1
    for number, attachment in enumerate(doc.attachments, start=1):
        paginator.new_page()
        paginator.place(attachment_groups(ts, attachment, number if many else None))

    lines, printed_at = imprint_lines(ts, doc)
    unnumbered = place_imprint(paginator, lines, printed_at, doc.letter_format)
    pages = paginator.pages
    if doc.letter_format:
        unnumbered.add(0)  # 信函格式首页不显示页码
    number_pages(ts, pages, unnumbered)
    if preview:
        face = fonts.face_for(FontRole.XIAOBIAOSONG, PREVIEW_MARK[0]) or fonts.primary(FontRole.XIAOBIAOSONG)
        for page in pages:
            page.watermark = Watermark(PREVIEW_MARK, face)
    return pages
