"""Reading a 移交清单 that came from elsewhere: hardened parsing, schema validation, totals re-counted.

A transfer list is untrusted input (the receiving archives reads lists written by other systems), so the
parser resolves no entities, loads no DTD, touches no network and refuses any document that carries a
DOCTYPE at all: a legitimate transfer list never needs one, and refusing it outright closes XXE and entity
expansion attacks without having to reason about which declarations are harmless.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from lxml import etree

from archive.export.errors import HostileXml, TransferListInvalid
from archive.export.model import Organisation, Retention
from archive.export.namespaces import TRANSFER_LIST

# Far above any real list (about 1 KB per entry): a larger document is refused before it is parsed.
MAX_TRANSFER_LIST_BYTES = 64 * 1024 * 1024
_NS = {"tl": TRANSFER_LIST}
_DOCTYPE_MARKERS = tuple("<!DOCTYPE".encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be"))


@dataclass(frozen=True, slots=True)
class TransferListEntry:
    """One 条目: the catalogue fields and the package file the sender vouches for."""

    position: int
    archival_code: str
    title: str
    doc_number: str | None
    responsible: str
    date: dt.date
    year: int
    retention: Retention
    unit_code: str
    unit_name: str
    item_number: int
    page_count: int | None
    file_name: str
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class TransferList:
    """A parsed, schema-valid transfer list whose declared totals agree with its entries."""

    batch_identifier: str
    fonds_code: str
    fonds_name: str
    year: int
    transferring_unit: Organisation
    receiving_archives: Organisation
    created_at: dt.datetime
    item_count: int
    total_bytes: int
    entries: tuple[TransferListEntry, ...]


def hardened_parser() -> etree.XMLParser:
    """The parser for XML we did not write: no entities, no DTD, no network, default size limits."""
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_blank_text=False,
    )


def parse_untrusted(data: bytes) -> etree._ElementTree:
    """Parse `data` with the hardened parser; refuse any DOCTYPE (and so any entity declaration)."""
    # Looked for in the raw bytes first, so that libxml2 never even reads the declarations (an entity bomb
    # would otherwise surface as a generic syntax error, not as the attack it is); then checked again on
    # the parsed document in case an encoding hid it from the byte scan.
    if any(marker in data for marker in _DOCTYPE_MARKERS):
        raise _hostile()
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser=hardened_parser()))
    except etree.XMLSyntaxError as exc:
        raise TransferListInvalid(f"移交清单不是格式正确的 XML：{exc}") from exc
    docinfo = tree.docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise _hostile()
    return tree


def _hostile() -> HostileXml:
    return HostileXml("移交清单含有 DOCTYPE/实体声明，出于安全原因拒绝处理；请由发送方重新生成不含 DTD 的清单")


@functools.cache
def transfer_list_schema() -> etree.XMLSchema:
    """The shipped XSD, read from the package (never from the network)."""
    xsd = resources.files("archive.export").joinpath("schema/transfer-list.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(xsd, parser=hardened_parser()))


def validate_transfer_list(tree: etree._ElementTree) -> None:
    """Raise `TransferListInvalid` listing the first schema errors, if any."""
    schema = transfer_list_schema()
    if not schema.validate(tree):
        problems = "; ".join(f"第 {e.line} 行：{e.message}" for e in list(schema.error_log)[:5])
        raise TransferListInvalid(f"移交清单不符合 transfer-list.xsd：{problems}")


def read_transfer_list(source: bytes | Path, max_bytes: int = MAX_TRANSFER_LIST_BYTES) -> TransferList:
    """Parse, validate and re-count a transfer list given as bytes or as a file path."""
    data = _read_capped(source, max_bytes)
    tree = parse_untrusted(data)
    validate_transfer_list(tree)
    root = tree.getroot()
    entries = tuple(_entry(element) for element in root.iterfind("tl:条目列表/tl:条目", _NS))
    parsed = TransferList(
        batch_identifier=_text(root, "tl:批次标识"),
        fonds_code=_text(root, "tl:全宗号"),
        fonds_name=_text(root, "tl:全宗名称"),
        year=int(_text(root, "tl:年度")),
        transferring_unit=_organisation(root, "tl:移交单位"),
        receiving_archives=_organisation(root, "tl:接收单位"),
        created_at=dt.datetime.fromisoformat(_text(root, "tl:生成时间")),
        item_count=int(_text(root, "tl:统计/tl:件数")),
        total_bytes=int(_text(root, "tl:统计/tl:总字节数")),
        entries=entries,
    )
    check_totals(parsed)
    return parsed


def check_totals(parsed: TransferList) -> None:
    """The declared totals and numbering must agree with the entries (完整性: counts match the list)."""
    if parsed.item_count != len(parsed.entries):
        raise TransferListInvalid(f"移交清单声明 {parsed.item_count} 件，实际列出 {len(parsed.entries)} 件")
    listed_bytes = sum(entry.size for entry in parsed.entries)
    if parsed.total_bytes != listed_bytes:
        raise TransferListInvalid(f"移交清单声明总字节数 {parsed.total_bytes}，各条目合计 {listed_bytes}")
    positions = [entry.position for entry in parsed.entries]
    if positions != list(range(1, len(positions) + 1)):
        raise TransferListInvalid("移交清单的序号应从 1 开始连续编号")


def _read_capped(source: bytes | Path, max_bytes: int) -> bytes:
    if isinstance(source, bytes):
        data = source
    else:
        with source.open("rb") as stream:
            data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TransferListInvalid(f"移交清单超过 {max_bytes} 字节上限，拒绝解析")
    return data


def _entry(element: etree._Element) -> TransferListEntry:
    doc_number = _optional_text(element, "tl:文号")
    pages = _optional_text(element, "tl:页数")
    return TransferListEntry(
        position=int(element.get("序号", "0")),
        archival_code=_text(element, "tl:档号"),
        title=_text(element, "tl:题名"),
        doc_number=doc_number,
        responsible=_text(element, "tl:责任者"),
        date=dt.date.fromisoformat(_text(element, "tl:日期")),
        year=int(_text(element, "tl:年度")),
        retention=Retention(_text(element, "tl:保管期限")),
        unit_code=_text(element, "tl:机构代码"),
        unit_name=_text(element, "tl:机构名称"),
        item_number=int(_text(element, "tl:件号")),
        page_count=int(pages) if pages is not None else None,
        file_name=_text(element, "tl:封装包/tl:文件名"),
        size=int(_text(element, "tl:封装包/tl:字节数")),
        sha256=_text(element, "tl:封装包/tl:摘要"),
    )


def _organisation(root: etree._Element, path: str) -> Organisation:
    return Organisation(code=_text(root, f"{path}/tl:单位代码"), name=_text(root, f"{path}/tl:单位名称"))


def _text(element: etree._Element, path: str) -> str:
    # The schema has already made every one of these paths mandatory; a miss here is a schema bug.
    value = element.findtext(path, namespaces=_NS)
    if value is None:
        raise TransferListInvalid(f"移交清单缺少元素 {path}")
    return str(value)


def _optional_text(element: etree._Element, path: str) -> str | None:
    value = element.findtext(path, namespaces=_NS)
    return None if value is None else str(value)
