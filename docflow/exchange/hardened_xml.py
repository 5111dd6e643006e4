"""Parsing untrusted XML safely, and validating it against the schemas shipped in this package.

Any DOCTYPE is refused before libxml2 sees the bytes, so no entity (internal, external or recursive) is ever
declared, let alone expanded; the parser is also configured to resolve nothing and to touch no network, as a
second line of defence. huge_tree stays off: the protocol keeps every text node small (attachments travel in
chunks), so libxml2's own size limits remain in force on hostile input.
"""

from __future__ import annotations

import re
from functools import cache

from lxml import etree

from docflow.exchange.errors import ForbiddenDtd, MalformedXml, SchemaViolation
from docflow.exchange.namespaces import (
    ENVELOPE_SCHEMA_FILE,
    ENVELOPE_TAG,
    RECEIPT_SCHEMA_FILE,
    RECEIPT_TAG,
    schema_path,
)

# A DOCTYPE can only appear in the prolog: after the XML declaration, comments, processing instructions and
# whitespace, before the root element. Walking exactly that grammar finds it without a parser, even when a
# comment holds text that looks like an element.
_PROLOG_WHITESPACE = re.compile(rb"[ \t\r\n]+")
_UTF8_BOM = b"\xef\xbb\xbf"
_MAX_PROLOG_ITEMS = 64
_DECLARED_ENCODING = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._\-]+)[\"']")


def _untrusted_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def refuse_dtd(data: bytes) -> None:
    """Raise ForbiddenDtd if the prolog (everything before the root element) holds a DOCTYPE, and
    MalformedXml if the prolog is absurdly long."""
    position = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    for _step in range(_MAX_PROLOG_ITEMS):
        if position >= len(data):
            return
        whitespace = _PROLOG_WHITESPACE.match(data, position)
        if whitespace is not None:
            position = whitespace.end()
        elif data.startswith(b"<?", position):
            end = data.find(b"?>", position + 2)
            position = len(data) if end < 0 else end + 2
        elif data.startswith(b"<!--", position):
            end = data.find(b"-->", position + 4)
            position = len(data) if end < 0 else end + 3
        elif data[position : position + 9].upper() == b"<!DOCTYPE":
            raise ForbiddenDtd("消息含有 DOCTYPE 或实体声明，交换协议不允许（防止 XXE 与实体膨胀攻击）")
        else:
            return  # the root element (or garbage, which the parser reports as malformed)
    # Our builders write only the XML declaration; a prolog of thousands of comments is an attack on CPU.
    raise MalformedXml(f"消息开头的注释或处理指令超过 {_MAX_PROLOG_ITEMS} 个")


def parse_untrusted(data: bytes) -> etree._Element:
    """Parse bytes from another node: no DTD, no entities, no network; errors are typed refusals.

    Only UTF-8 is accepted: a declared other encoding could hide a DOCTYPE from the prolog scan.
    """
    declared = _DECLARED_ENCODING.search(data.removeprefix(_UTF8_BOM)[:200])
    if b"\x00" in data[:4] or data.startswith((b"\xff\xfe", b"\xfe\xff")) or (
        declared is not None and declared.group(1).lower() != b"utf-8"
    ):
        raise MalformedXml("消息必须使用 UTF-8 编码")
    refuse_dtd(data)
    try:
        root = etree.fromstring(data, parser=_untrusted_parser())
    except etree.XMLSyntaxError as exc:
        raise MalformedXml(f"消息不是格式正确的 XML：{exc}") from exc
    # Second line of defence: whatever the scan missed, a parsed DTD or an unexpanded entity is refused.
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise ForbiddenDtd("消息含有 DTD，交换协议不允许")
    for _ in root.iter(etree.Entity):
        raise ForbiddenDtd("消息含有实体引用，交换协议不允许")
    return root


@cache
def _schema(file_name: str) -> etree.XMLSchema:
    # Loaded on first use (not at import) from the local copy; xs:include resolves to a sibling file.
    trusted_parser = etree.XMLParser(no_network=True, resolve_entities=False)
    document = etree.parse(str(schema_path(file_name)), parser=trusted_parser)
    return etree.XMLSchema(document)


_SCHEMA_BY_ROOT = {ENVELOPE_TAG: ENVELOPE_SCHEMA_FILE, RECEIPT_TAG: RECEIPT_SCHEMA_FILE}


def validate_message(root: etree._Element) -> None:
    """Validate an envelope or a receipt against its shipped schema; raise SchemaViolation otherwise."""
    file_name = _SCHEMA_BY_ROOT.get(root.tag)
    if file_name is None:
        raise SchemaViolation(f"根元素 {root.tag} 不是交换协议的 envelope 或 receipt")
    schema = _schema(file_name)
    if not schema.validate(root):
        first = schema.error_log[0] if schema.error_log else None
        where = f"第 {first.line} 行：{first.message}" if first is not None else "未知位置"
        raise SchemaViolation(f"消息不符合 {file_name}：{where}")
