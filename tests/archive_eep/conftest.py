"""Shared builders for the EEP tests: a realistic finished 发文 with a PDF/A-like main document."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from archive.eep.builder import build_package
from archive.eep.model import (
    AgentEntity,
    AgentType,
    BusinessEntity,
    ContentDescription,
    DocumentRole,
    FileEntityMetadata,
    Origin,
    PackageDocument,
    PackageInput,
)
from archive.eep.signing import PackageSigner

CST = dt.timezone(dt.timedelta(hours=8))


def pdf_bytes(body: str = "象山县人民政府关于做好冬季防火工作的通知", *, encrypted: bool = False) -> bytes:
    """A small but structurally complete PDF 1.7 claiming PDF/A-2b in its XMP metadata."""
    stream = f"BT /F1 12 Tf 72 720 Td ({body.encode('utf-16-be').hex()}) Tj ET".encode()
    xmp = b'<x:xmpmeta><rdf:Description pdfaid:part="2" pdfaid:conformance="B"/></x:xmpmeta>'
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R >>",
        b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n" % len(xmp) + xmp + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body_bytes in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body_bytes + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    encrypt = b" /Encrypt 6 0 R" if encrypted else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        encrypt,
        xref,
    )
    return bytes(out)


def png_bytes() -> bytes:
    """A valid 1×1 PNG (a scanned seal image stands in for a real one)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0\xff\0\0"))
        + chunk(b"IEND", b"")
    )


def drafting_form_xml() -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><发文稿纸><拟稿 人="王芳" 时间="2026-11-18T09:12:00+08:00"/>'
        '<核稿 人="李明" 意见="同意"/>'
        '<签发 人="陈县长" 意见="同意印发" 时间="2026-11-19T16:40:00+08:00"/></发文稿纸>'
    ).encode()


def file_entity(**changes: object) -> FileEntityMetadata:
    description = ContentDescription(
        title="象山县人民政府关于做好冬季防火工作的通知",
        document_number="象政发〔2026〕7号",
        responsible=("象山县人民政府",),
        date=dt.date(2026, 11, 20),
        document_type="通知",
        urgency="加急",
        primary_recipients=("各乡镇人民政府", "县政府各部门"),
        copy_recipients=("县委办公室",),
        classification="公开",
    )
    base: dict[str, object] = {
        "file_number": "XS-2026-FW-000007",
        "origin": Origin(fonds_name="象山县人民政府", archive_name="象山县档案馆", archive_code="133001"),
        "description": description,
        "archival_code": "Z109-WS·2026-Y-BGS-0001",
        "page_count": 2,
        "storage_location": "oa://documents/7",
        "access_control": "开放",
    }
    base.update(changes)
    return FileEntityMetadata(**base)  # type: ignore[arg-type]


def business_history() -> tuple[BusinessEntity, ...]:
    steps = [
        ("拟稿", "P-WANG", 18, 9),
        ("核稿", "P-LI", 18, 15),
        ("签发", "P-CHEN", 19, 16),
        ("归档", "P-WANG", 25, 10),
    ]
    return tuple(
        BusinessEntity(
            identifier=f"B-{index}",
            agent_id=agent,
            file_id="XS-2026-FW-000007",
            action=action,
            time=dt.datetime(2026, 11, day, hour, tzinfo=CST),
            basis="党政机关公文处理工作条例",
            description=f"{action}完成",
        )
        for index, (action, agent, day, hour) in enumerate(steps, start=1)
    )


def agents() -> tuple[AgentEntity, ...]:
    return (
        AgentEntity("U-XS", AgentType.UNIT, "象山县人民政府", organisation_code="11330225002"),
        AgentEntity("P-WANG", AgentType.PERSON, "王芳", position="文书"),
        AgentEntity("P-LI", AgentType.PERSON, "李明", position="办公室主任"),
        AgentEntity("P-CHEN", AgentType.PERSON, "陈县长", position="县长"),
    )


def package_input(folder: Path, *, extra: tuple[PackageDocument, ...] = (), **entity_changes: object) -> PackageInput:
    main = folder / "正文.pdf"
    main.write_bytes(pdf_bytes())
    documents = (
        PackageDocument("D-1", DocumentRole.MAIN, "正文", "正文.pdf", "PDF/A-2b", main, "WeasyPrint"),
        PackageDocument("D-2", DocumentRole.ATTACHED, "印章图像", "印章.png", "PNG", io.BytesIO(png_bytes())),
        PackageDocument(
            "D-3", DocumentRole.ATTACHED, "发文稿纸", "发文稿纸.xml", "XML", io.BytesIO(drafting_form_xml())
        ),
        *extra,
    )
    return PackageInput(
        created_by="象山县人民政府办公室",
        created_at=dt.datetime(2026, 11, 25, 10, 0, tzinfo=CST),
        file_entity=file_entity(**entity_changes),
        documents=documents,
        business=business_history(),
        agents=agents(),
    )


@pytest.fixture(scope="session")
def signer() -> PackageSigner:
    return PackageSigner.generate("象山县人民政府办公室")


@pytest.fixture(scope="session")
def archive_signer() -> PackageSigner:
    return PackageSigner.generate("象山县档案馆")


@pytest.fixture
def make_package(tmp_path: Path, signer: PackageSigner) -> Callable[..., Path]:
    """Build a package into tmp_path; keyword arguments change the file entity or add documents."""
    counter = iter(range(1000))

    def make(*, extra: tuple[PackageDocument, ...] = (), **entity_changes: object) -> Path:
        folder = tmp_path / f"src-{next(counter)}"
        folder.mkdir()
        target = folder / "item.eep"
        with target.open("wb") as out:
            build_package(package_input(folder, extra=extra, **entity_changes), out, signer)
        return target

    return make
