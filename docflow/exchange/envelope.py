"""The envelope: one 公文 travelling from a sending unit to a receiving unit, as plain data and as XML.

`build_envelope` turns an `Envelope` into canonical, deterministic UTF-8 XML (validated against the shipped
schema before it leaves, so a node never signs a message its peers would refuse); `parse_envelope` is the
inverse for untrusted bytes. Digests are declared by the sender and checked by `receive.check_incoming`.
"""

from __future__ import annotations

import binascii
import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

from lxml import etree

from docflow.exchange.errors import ExchangeRefusal, MessageBuildError, SchemaViolation
from docflow.exchange.hardened_xml import parse_untrusted, validate_message
from docflow.exchange.message_header import (
    MessageHeader,
    MessageKind,
    add_text,
    all_texts,
    build_header,
    child,
    child_text,
    format_utc,
    parse_header,
    parse_utc,
    required_text,
    serialise,
)
from docflow.exchange.namespaces import ENVELOPE_TAG, NSMAP, q

CHUNK_BYTES = 786_432
"""Raw bytes per <数据> chunk: 1 MiB once base64-encoded, far below libxml2's 10 MB text-node limit."""


@dataclass(frozen=True, slots=True)
class DocumentElements:
    """The elements of the 公文 (条例 art. 9, GB/T 33480): what the receiving registrar registers."""

    identifier: str  # 公文标识
    doc_type: str  # 文种, one of the 15
    title: str  # 标题
    issuers: tuple[str, ...]  # 发文机关署名 (several for a joint document)
    written_on: date  # 成文日期
    publication_level: str  # 发布层次: 公开 / 不公开 / 依申请公开
    doc_number: str | None = None  # 发文字号
    copy_number: str | None = None  # 份号, classified documents only
    classification: str | None = None  # 密级
    secrecy_period: str | None = None  # 保密期限, e.g. "5年"
    urgency: str | None = None  # 紧急程度: 特急 / 加急
    issuer_mark: str | None = None  # 发文机关标志
    signers: tuple[str, ...] = ()  # 签发人
    main_recipients: tuple[str, ...] = ()  # 主送机关
    attachment_note: str | None = None  # 附件说明
    note: str | None = None  # 附注
    copy_to: tuple[str, ...] = ()  # 抄送机关
    printed_by: str | None = None  # 印发机关
    printed_on: date | None = None  # 印发日期


@dataclass(frozen=True, slots=True)
class BodyBlock:
    """One paragraph of 正文; level 0 is running text, 1..4 the heading levels of GB/T 9704."""

    level: int
    text: str


@dataclass(frozen=True, slots=True)
class Attachment:
    """An attachment with the digests its sender declares; `content` is the decoded bytes."""

    filename: str
    media_type: str
    size: int
    sha256: str
    sm3: str
    content: bytes = field(repr=False)

    @classmethod
    def of(cls, filename: str, media_type: str, content: bytes) -> Attachment:
        """An attachment whose declared size and digests are computed from `content`."""
        return cls(filename, media_type, len(content), sha256_hex(content), sm3_hex(content), content)

    def mismatch(self) -> str | None:
        """What is wrong between the declared size/digests and the content, or None when they agree."""
        if len(self.content) != self.size:
            return f"附件《{self.filename}》声明 {self.size} 字节，实际 {len(self.content)} 字节"
        if sha256_hex(self.content) != self.sha256:
            return f"附件《{self.filename}》的 SHA-256 摘要不符，内容在传输中被改动"
        if sm3_hex(self.content) != self.sm3:
            return f"附件《{self.filename}》的 SM3 摘要不符，内容在传输中被改动"
        return None


@dataclass(frozen=True, slots=True)
class Seal:
    """The issuing organ's electronic seal (印章), carried as opaque data for the receiver to verify."""

    algorithm: str
    key_id: str
    signature_value: str
    signed_at: datetime
    sealing_unit: str


@dataclass(frozen=True, slots=True)
class Envelope:
    header: MessageHeader
    document: DocumentElements
    body: tuple[BodyBlock, ...]
    attachments: tuple[Attachment, ...] = ()
    seal: Seal | None = None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sm3_hex(data: bytes) -> str:
    # OpenSSL's SM3 (~355 MB/s); a pure-Python SM3 would be over a thousand times slower.
    return hashlib.new("sm3", data).hexdigest()


def _build_document(parent: etree._Element, d: DocumentElements) -> None:
    element = etree.SubElement(parent, q("公文"))
    add_text(element, "公文标识", d.identifier)
    add_text(element, "文种", d.doc_type)
    if d.copy_number is not None:
        add_text(element, "份号", d.copy_number)
    if d.classification is not None:
        secrecy = add_text(element, "密级", d.classification)
        if d.secrecy_period is not None:
            secrecy.set("保密期限", d.secrecy_period)
    optional_marks = (("紧急程度", d.urgency), ("发文机关标志", d.issuer_mark), ("发文字号", d.doc_number))
    for local_name, value in optional_marks:
        if value is not None:
            add_text(element, local_name, value)
    for signer in d.signers:
        add_text(element, "签发人", signer)
    add_text(element, "标题", d.title)
    _build_organ_list(element, "主送机关", d.main_recipients)
    if d.attachment_note is not None:
        add_text(element, "附件说明", d.attachment_note)
    for issuer in d.issuers:
        add_text(element, "发文机关署名", issuer)
    add_text(element, "成文日期", d.written_on.isoformat())
    if d.note is not None:
        add_text(element, "附注", d.note)
    _build_organ_list(element, "抄送机关", d.copy_to)
    if d.printed_by is not None:
        add_text(element, "印发机关", d.printed_by)
    if d.printed_on is not None:
        add_text(element, "印发日期", d.printed_on.isoformat())
    add_text(element, "发布层次", d.publication_level)


def _build_organ_list(parent: etree._Element, local_name: str, organs: tuple[str, ...]) -> None:
    if organs:
        element = etree.SubElement(parent, q(local_name))
        for organ in organs:
            add_text(element, "机关", organ)


def _build_attachment(parent: etree._Element, number: int, a: Attachment) -> None:
    element = etree.SubElement(parent, q("附件"))
    element.set("序号", str(number))
    element.set("文件名", a.filename)
    element.set("媒体类型", a.media_type)
    element.set("字节数", str(a.size))
    element.set("SHA256", a.sha256)
    element.set("SM3", a.sm3)
    for start in range(0, len(a.content), CHUNK_BYTES):
        chunk = a.content[start : start + CHUNK_BYTES]
        add_text(element, "数据", binascii.b2a_base64(chunk, newline=False).decode("ascii"))


def build_envelope(e: Envelope) -> bytes:
    """Canonical UTF-8 XML of the envelope; raises MessageBuildError if the data breaks the schema."""
    if e.header.kind is not MessageKind.DOCUMENT:
        raise MessageBuildError("公文信封的 kind 必须是 document")
    try:
        root = _envelope_tree(e)
    except ValueError as exc:  # lxml refuses control characters, which XML 1.0 cannot carry
        raise MessageBuildError(f"公文数据含有 XML 不允许的控制字符：{exc}") from exc
    try:
        validate_message(root)
    except ExchangeRefusal as exc:
        raise MessageBuildError(f"公文数据不符合交换协议：{exc.message}") from exc
    return serialise(root)


def _envelope_tree(e: Envelope) -> etree._Element:
    root = etree.Element(ENVELOPE_TAG, nsmap=NSMAP)
    root.set("version", e.header.protocol_version)
    build_header(root, e.header)
    _build_document(root, e.document)
    body = etree.SubElement(root, q("正文"))
    for block in e.body:
        add_text(body, "段", block.text).set("级别", str(block.level))
    if e.attachments:
        attachments = etree.SubElement(root, q("附件列表"))
        for number, attachment in enumerate(e.attachments, start=1):
            _build_attachment(attachments, number, attachment)
    if e.seal is not None:
        seal = add_text(root, "印章", e.seal.signature_value)
        seal.set("算法", e.seal.algorithm)
        seal.set("密钥标识", e.seal.key_id)
        seal.set("签章时间", format_utc(e.seal.signed_at))
        seal.set("签章单位", e.seal.sealing_unit)
    return root


def _optional_date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _organs(parent: etree._Element, local_name: str) -> tuple[str, ...]:
    element = child(parent, local_name)
    return () if element is None else all_texts(element, "机关")


def _parse_document(root: etree._Element) -> DocumentElements:
    d = child(root, "公文")
    if d is None:
        raise ValueError("missing 公文")
    secrecy = child(d, "密级")
    return DocumentElements(
        identifier=required_text(d, "公文标识"),
        doc_type=required_text(d, "文种"),
        title=required_text(d, "标题"),
        issuers=all_texts(d, "发文机关署名"),
        written_on=date.fromisoformat(required_text(d, "成文日期")),
        publication_level=required_text(d, "发布层次"),
        doc_number=child_text(d, "发文字号"),
        copy_number=child_text(d, "份号"),
        classification=None if secrecy is None else secrecy.text or "",
        secrecy_period=None if secrecy is None else secrecy.get("保密期限"),
        urgency=child_text(d, "紧急程度"),
        issuer_mark=child_text(d, "发文机关标志"),
        signers=all_texts(d, "签发人"),
        main_recipients=_organs(d, "主送机关"),
        attachment_note=child_text(d, "附件说明"),
        note=child_text(d, "附注"),
        copy_to=_organs(d, "抄送机关"),
        printed_by=child_text(d, "印发机关"),
        printed_on=_optional_date(child_text(d, "印发日期")),
    )


def _parse_attachment(element: etree._Element) -> Attachment:
    content = b"".join(binascii.a2b_base64(text) for text in all_texts(element, "数据"))
    return Attachment(
        filename=element.get("文件名", ""),
        media_type=element.get("媒体类型", ""),
        size=int(element.get("字节数", "-1")),
        sha256=element.get("SHA256", ""),
        sm3=element.get("SM3", ""),
        content=content,
    )


def envelope_from_tree(root: etree._Element) -> Envelope:
    """The envelope held by a tree that already passed `validate_message` (no checks repeated here)."""
    header = parse_header(root)
    if header.kind is not MessageKind.DOCUMENT:
        raise SchemaViolation("公文信封的 kind 必须是 document")
    body = child(root, "正文")
    attachments = child(root, "附件列表")
    seal = child(root, "印章")
    return Envelope(
        header=header,
        document=_parse_document(root),
        body=tuple(
            BodyBlock(int(block.get("级别", "0")), block.text or "")
            for block in ([] if body is None else body.findall(q("段")))
        ),
        attachments=tuple(
            _parse_attachment(a) for a in ([] if attachments is None else attachments.findall(q("附件")))
        ),
        seal=None
        if seal is None
        else Seal(
            algorithm=seal.get("算法", ""),
            key_id=seal.get("密钥标识", ""),
            signature_value=seal.text or "",
            signed_at=parse_utc(seal.get("签章时间", "")),
            sealing_unit=seal.get("签章单位", ""),
        ),
    )


def parse_envelope(data: bytes) -> Envelope:
    """Parse and validate envelope bytes (hardened parser, shipped schema); refusals are typed errors.

    This does not verify the node signature nor the digests: untrusted input goes through
    `receive.check_incoming`, which does all checks in the protocol's order.
    """
    root = parse_untrusted(data)
    if root.tag != ENVELOPE_TAG:
        raise SchemaViolation("这不是公文信封（根元素应为 envelope）")
    validate_message(root)
    return envelope_from_tree(root)
