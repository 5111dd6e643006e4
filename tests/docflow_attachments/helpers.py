"""Helpers for the attachment, seal and configuration tests: sample files, uploads, a document driven to 用印,
and reading audit records."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from sqlalchemy import select

from oa.audit.models import AuditRecord
from tests.docflow.helpers import act, notice, person_id

PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64)
TIFF = b"II*\x00\x08\x00\x00\x00" + bytes(32)
TXT = "关于防汛物资清单的说明\n一、沙袋 2000 只\n".encode()
XML = '<?xml version="1.0" encoding="UTF-8"?>\n<清单><项>沙袋</项></清单>\n'.encode()
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(120)
ELF = b"\x7fELF\x02\x01\x01" + bytes(64)
SCRIPT = b"#!/bin/sh\nrm -rf /\n"
OLE_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64)


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
OFD = zip_bytes({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<ofd:Document/>"})
DOCM = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>",
                  "word/vbaProject.bin": b"\x00macro"})
PLAIN_ZIP = zip_bytes({"setup.exe": EXE})


async def upload(client: Any, document_id: int, data: bytes, filename: str, title: str | None = None,
                 expect: int = 201) -> dict[str, Any]:
    params = {"filename": filename, **({"title": title} if title else {})}
    response = await client.post(f"/api/documents/{document_id}/attachments", params=params, content=data,
                                 headers={"Content-Type": "application/octet-stream"})
    assert response.status_code == expect, f"{filename}: {response.status_code} {response.text}"
    body: dict[str, Any] = response.json()
    return body


class Desk:
    """Signed-in clients by username, each created once."""

    def __init__(self, make_client: Any) -> None:
        self._make = make_client
        self._clients: dict[str, Any] = {}

    async def __call__(self, username: str) -> Any:
        if username not in self._clients:
            client = self._make()
            await client.sign_in(username)
            self._clients[username] = client
        return self._clients[username]


async def draft(desk: Desk, **content: Any) -> int:
    drafter = await desk("xsx.drafter")
    response = await drafter.post("/api/documents", json={"content": notice(**content)})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def to_sealing(desk: Desk, document_id: int) -> dict[str, Any]:
    """Submit, review (no 会签), sign off by xsx.leader, recheck, number and register: the document awaits 用印."""
    drafter, reviewer = await desk("xsx.drafter"), await desk("xsx.reviewer")
    leader, registrar = await desk("xsx.leader"), await desk("xsx.registrar")
    await act(drafter, document_id, "submit", opinion="请审核")
    await act(reviewer, document_id, "approve", opinion="已核", skip=["会签"],
              next_holders=[await person_id(reviewer, "xsx.leader")])
    await act(leader, document_id, "approve", opinion="同意印发")
    await act(reviewer, document_id, "approve", opinion="复核无误")
    await act(registrar, document_id, "assign_number")
    view = await act(registrar, document_id, "approve", opinion="已登记")
    assert view["state"] == "sealing", view["state"]
    return view


async def audit_of(services: Any, action: str) -> list[AuditRecord]:
    async with services.sessions() as session:
        rows = (await session.execute(select(AuditRecord).where(AuditRecord.action == action)
                                      .order_by(AuditRecord.id))).scalars().all()
    return list(rows)


async def person_by_username(services: Any, username: str) -> int:
    """Any person's id, of any unit (the people API shows a user only their own unit)."""
    from oa.org.models import Person

    async with services.sessions() as session:
        return int((await session.execute(select(Person.id).where(Person.username == username))).scalar_one())
