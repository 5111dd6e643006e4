"""Fixtures for the export tests: synthetic `.eep` files, batches built from them, and the external checkers
(the E-ARK validator in its own venv, xmllint) located once per session.

The packages are not built by archive/eep: the export only needs files whose size and SHA-256 the catalogue
knows, so each one is a small, plausible DA/T 48 document with a base64 payload of chosen size.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import importlib.util
import os
import random
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from lxml import etree
from lxml.builder import ElementMaker

from archive.export import ExportBatch, ExportItem, Organisation, Retention

EEP_NS = "http://www.saac.gov.cn/standards/ERM/encapsulation"
DESCRIPTION = "本EEP根据中华人民共和国档案行业标准DA/T 48-2009《基于XML的电子文件封装规范》生成"
CREATED_AT = dt.datetime(2026, 1, 15, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
TRANSFERRING_UNIT = Organisation("BGS", "象山县人民政府办公室")
RECEIVING_ARCHIVES = Organisation("330225-DAG", "象山县档案馆")

ItemFactory = Callable[..., ExportItem]


def eep_document(archival_code: str, title: str, payload_size: int, seed: int) -> bytes:
    """A small DA/T 48-shaped package; the payload is deterministic pseudo-random bytes, base64-encoded."""
    payload = random.Random(seed).randbytes(payload_size)
    e = ElementMaker(namespace=EEP_NS, nsmap={None: EEP_NS})
    document = e("电子文件封装包",
        e("封装包格式描述", DESCRIPTION),
        e("版本", "2009"),
        e("被签名对象",
            e("封装包类型", "原始型"),
            e("封装内容", e("文件实体块", e("文件实体",
                e("档号", archival_code),
                e("内容描述", e("题名", title)),
                e("文件数据", e("文档",
                    e("文档标识符", "D1"),
                    e("文档主从声明", "主文档"),
                    e("文档数据", e("编码", e("编码数据", base64.encodebytes(payload).decode("ascii")))),
                )),
            ))),
            {"eep版本": "2009"},
        ),
    )  # fmt: skip
    return bytes(etree.tostring(document, xml_declaration=True, encoding="UTF-8"))


@pytest.fixture
def make_item(tmp_path: Path) -> ItemFactory:
    """Build an ExportItem with its package file written under tmp_path/store."""
    store = tmp_path / "store"
    store.mkdir()

    def factory(
        number: int,
        *,
        retention: Retention = Retention.PERMANENT,
        payload_size: int = 2000,
        doc_number: str | None = "象政办发〔2025〕{n}号",
        page_count: int | None = 3,
        year: int = 2025,
    ) -> ExportItem:
        code = f"Z109-WS·{year}-{retention.code}-BGS-{number:04d}"
        title = f"关于做好2025年第{number}批农村公路养护工作的通知"
        data = eep_document(code, title, payload_size, seed=number)
        # Stored under another name than the 档号: the export must name the files itself.
        path = store / f"stored-{retention.code}-{number}.eep"
        path.write_bytes(data)
        return ExportItem(
            archival_code=code,
            title=title,
            doc_number=doc_number.format(n=number) if doc_number else None,
            responsible="象山县人民政府办公室",
            date=dt.date(year, 3, number % 28 + 1),
            year=year,
            retention=retention,
            unit_code="BGS",
            unit_name="办公室",
            item_number=number,
            page_count=page_count,
            package_path=path,
            package_size=len(data),
            package_sha256=hashlib.sha256(data).hexdigest(),
        )

    return factory


def _make_batch(items: list[ExportItem], year: int = 2025) -> ExportBatch:
    return ExportBatch(
        fonds_code="Z109",
        fonds_name="象山县人民政府办公室",
        year=year,
        transferring_unit=TRANSFERRING_UNIT,
        receiving_archives=RECEIVING_ARCHIVES,
        created_at=CREATED_AT,
        items=tuple(items),
    )


@pytest.fixture
def batch_from() -> Callable[..., ExportBatch]:
    """Build a batch of the Z109 fonds around the given items (year 2025 unless told)."""
    return _make_batch


@pytest.fixture
def batch(make_item: ItemFactory) -> ExportBatch:
    """Three items: a 2.3 MB one (several read chunks), one lacking 文号 and 页数, one of other retention."""
    return _make_batch(
        [
            make_item(1, payload_size=1_700_000),
            make_item(2, doc_number=None, page_count=None),
            make_item(1, retention=Retention.TEN_YEARS, payload_size=10),
        ]
    )


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    path = tmp_path / "out"
    path.mkdir()
    return path


def _load_eark_env() -> ModuleType:
    # Test folders are not packages (importlib mode): load the helper module by path.
    spec = importlib.util.spec_from_file_location("archive_export_eark_env", Path(__file__).with_name("eark_env.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


eark_env = _load_eark_env()


@pytest.fixture(scope="session")
def eark_validator() -> object:
    """The E-ARK validator; missing means FAIL with the set-up command, in CI and locally alike."""
    found = eark_env.find_validator()
    if isinstance(found, str):
        pytest.fail(found)
    return found


@pytest.fixture(scope="session")
def xmllint() -> str:
    """Debian's xmllint (libxml2-utils): an XML Schema checker that shares no code path with our lxml use."""
    path = shutil.which("xmllint")
    if path is None:
        in_ci = os.environ.get("CI") == "true"
        pytest.fail(f"xmllint is missing{' in CI' if in_ci else ''}: apt-get install -y libxml2-utils")
    return path
