"""The 移交清单 (transfer list): the XML that travels with a batch and lists every package in it.

Built from plain data, no database: `build_transfer_list(batch)` returns the document as UTF-8 bytes,
checked against the shipped schema `schema/transfer-list.xsd` before it is returned. The receiver re-counts the totals
(件数, 总字节数) and re-hashes every package against its 摘要; `transfer_list_reader` does exactly that.
"""

from __future__ import annotations

import datetime as dt

from lxml import etree

from archive.export.errors import InvalidExportBatch
from archive.export.model import ExportBatch, ExportItem, Organisation
from archive.export.namespaces import TRANSFER_LIST, qname
from archive.export.transfer_list_reader import transfer_list_schema

FILE_NAME = "移交清单.xml"
FORMAT_VERSION = "1.0"


def build_transfer_list(batch: ExportBatch) -> bytes:
    """The transfer list of `batch`, entries in the batch's order, numbered 1..n in 序号."""
    root = etree.Element(_tag("移交清单"), nsmap={None: TRANSFER_LIST})
    root.set("版本", FORMAT_VERSION)
    _text(root, "批次标识", batch.identifier)
    _text(root, "全宗号", batch.fonds_code)
    _text(root, "全宗名称", batch.fonds_name)
    _text(root, "年度", f"{batch.year:04d}")
    _organisation(root, "移交单位", batch.transferring_unit)
    _organisation(root, "接收单位", batch.receiving_archives)
    _text(root, "生成时间", format_datetime(batch.created_at))
    totals = etree.SubElement(root, _tag("统计"))
    _text(totals, "件数", str(batch.item_count))
    _text(totals, "总字节数", str(batch.total_bytes))
    entries = etree.SubElement(root, _tag("条目列表"))
    for position, item in enumerate(batch.items, start=1):
        _entry(entries, position, item)
    # The model enforces the schema's rules already; validating the output anyway means a rule added to one
    # and forgotten in the other stops the export here instead of at the county archives.
    schema = transfer_list_schema()
    if not schema.validate(root):
        raise InvalidExportBatch(f"生成的移交清单不符合 transfer-list.xsd：{schema.error_log.last_error}")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def format_datetime(moment: dt.datetime) -> str:
    """xs:dateTime with an explicit offset, to the second: receivers compare these as text."""
    return moment.isoformat(timespec="seconds")


def _entry(parent: etree._Element, position: int, item: ExportItem) -> None:
    entry = etree.SubElement(parent, _tag("条目"))
    entry.set("序号", str(position))
    _text(entry, "档号", item.archival_code)
    _text(entry, "题名", item.title)
    if item.doc_number is not None:
        _text(entry, "文号", item.doc_number)
    _text(entry, "责任者", item.responsible)
    _text(entry, "日期", item.date.isoformat())
    _text(entry, "年度", f"{item.year:04d}")
    _text(entry, "保管期限", item.retention.value)
    _text(entry, "机构代码", item.unit_code)
    _text(entry, "机构名称", item.unit_name)
    _text(entry, "件号", str(item.item_number))
    if item.page_count is not None:
        _text(entry, "页数", str(item.page_count))
    package = etree.SubElement(entry, _tag("封装包"))
    _text(package, "文件名", item.package_file_name)
    _text(package, "字节数", str(item.package_size))
    _text(package, "摘要", item.package_sha256).set("算法", "SHA-256")


def _organisation(parent: etree._Element, name: str, organisation: Organisation) -> None:
    element = etree.SubElement(parent, _tag(name))
    _text(element, "单位代码", organisation.code)
    _text(element, "单位名称", organisation.name)


def _text(parent: etree._Element, name: str, value: str) -> etree._Element:
    element = etree.SubElement(parent, _tag(name))
    element.text = value
    return element


def _tag(local: str) -> str:
    return qname(TRANSFER_LIST, local)
