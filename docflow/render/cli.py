"""``oa render``: a JSON description of a document in, an archival PDF out.

The JSON shape is documented in ``docflow/render/README.md``; it mirrors :class:`RenderDocument` field
for field, with dates as ``YYYY-MM-DD``, body blocks as ``{"level": n, "text": "..."}`` (or a bare
string for a paragraph), and ``seal_image`` as the path of a PNG, relative to the JSON file.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from docflow.render.errors import RenderError
from docflow.render.fonts import FontConfig
from docflow.render.model import Attachment, BodyBlock, RenderDocument
from docflow.render.pdf import render_pdf

_MAX_JSON_BYTES = 5_000_000


class _Block(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    level: Annotated[int, Field(ge=0, le=4)] = 0
    text: str


class _Attachment(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    title: str
    body: list[_Block | str] = []


class DocumentJson(BaseModel):
    """The JSON form of a :class:`RenderDocument`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    doc_type: str
    organ_mark: str
    title: str
    issuer_signature: str
    date: datetime.date
    body: list[_Block | str]
    doc_number: str | None = None
    main_recipients: str = ""
    copy_no: str | None = None
    classification: str | None = None
    classification_period: str | None = None
    urgency: str | None = None
    signers: list[str] = []
    attachment_notes: list[str] = []
    seal_image: str | None = None
    note: str | None = None
    cc: str | None = None
    printer: str | None = None
    print_date: datetime.date | None = None
    attachments: list[_Attachment] = []
    letter_format: bool = False

    def to_document(self, base_dir: Path) -> RenderDocument:
        seal = None
        if self.seal_image is not None:
            seal_path = base_dir / self.seal_image
            try:
                seal = seal_path.read_bytes()
            except OSError as exc:
                raise RenderError(f"读不到印章图像 {seal_path}：{exc.strerror}") from exc
        return RenderDocument(
            doc_type=self.doc_type,
            organ_mark=self.organ_mark,
            title=self.title,
            issuer_signature=self.issuer_signature,
            date=self.date,
            body=_blocks(self.body),
            doc_number=self.doc_number,
            main_recipients=self.main_recipients,
            copy_no=self.copy_no,
            classification=self.classification,
            classification_period=self.classification_period,
            urgency=self.urgency,
            signers=tuple(self.signers),
            attachment_notes=tuple(self.attachment_notes),
            seal_image=seal,
            note=self.note,
            cc=self.cc,
            printer=self.printer,
            print_date=self.print_date,
            attachments=tuple(Attachment(a.title, _blocks(a.body)) for a in self.attachments),
            letter_format=self.letter_format,
        )


def _blocks(items: list[_Block | str]) -> tuple[BodyBlock, ...]:
    return tuple(BodyBlock(0, item) if isinstance(item, str) else BodyBlock(item.level, item.text) for item in items)


def load_document(json_path: Path) -> RenderDocument:
    """Read and check a JSON document description; every problem becomes a :class:`RenderError`."""
    try:
        raw = json_path.read_bytes()
    except OSError as exc:
        raise RenderError(f"读不到文件 {json_path}：{exc.strerror}") from exc
    if len(raw) > _MAX_JSON_BYTES:
        raise RenderError(f"{json_path} 超过 {_MAX_JSON_BYTES // 1_000_000} MB，不像是一份公文的描述")
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RenderError(f"{json_path} 不是有效的 UTF-8 JSON：{exc}") from exc
    try:
        parsed = DocumentJson.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors()[:5]
        )
        raise RenderError(f"{json_path} 的内容不符合公文描述格式：{problems}") from exc
    return parsed.to_document(json_path.parent)


def render_file(json_path: Path, out_path: Path, environ: Mapping[str, str], *, preview: bool = False) -> None:
    """Render the document described in ``json_path`` to the PDF/A file ``out_path``, fonts taken from
    ``environ`` (see :meth:`FontConfig.from_environ`). The file is written only when rendering succeeded."""
    document = load_document(json_path)
    pdf = render_pdf(document, FontConfig.from_environ(environ), preview=preview)
    partial = out_path.with_name(out_path.name + ".partial")
    partial.write_bytes(pdf)
    partial.replace(out_path)
