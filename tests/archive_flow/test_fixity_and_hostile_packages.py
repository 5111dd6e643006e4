"""What the archive keeps cannot change unnoticed, and what it is sent cannot hurt it: a tampered stored package is
caught by `oa archive audit` and `oa archive verify` (real subprocesses) with the reason, and hostile uploads (XXE,
an entity bomb, truncated base64, a foreign namespace) are refused with a clear error and nothing stored."""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from archive.keeping.models import ArchiveItem
from tests.archive_flow.helpers import decide, dispatched_notice, item_row, stored_path, transfer
from tests.docflow.helpers import Desk

EEP_NS = "http://www.saac.gov.cn/standards/ERM/encapsulation"


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


async def run_oa(settings: Any, *args: str) -> Ran:
    """`oa …` in a real child process. Awaited, never blocking: the app under test shares this event loop and
    must go on serving (on SQLite a blocked loop would hold the database lock the child needs)."""
    env = {**os.environ, "OA_DATABASE_URL": settings.database_url, "OA_DATA_DIR": str(settings.data_dir),
           "OA_KEYS_DIR": str(settings.keys_dir), "OA_LOG_JSON": "false"}
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "oa.cli", *args, env=env,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=300)
    assert process.returncode is not None
    return Ran(process.returncode, stdout.decode(), stderr.decode())


def flip_inside_first_payload(path: Path) -> None:
    data = bytearray(path.read_bytes())
    start = data.index("<编码数据>".encode()) + len("<编码数据>".encode()) + 200
    data[start] = ord("B") if data[start] != ord("B") else ord("C")
    path.chmod(0o644)
    path.write_bytes(bytes(data))


async def test_a_tampered_stored_package_is_caught_by_the_audit_and_by_verify(demo: Any, desk: Desk) -> None:
    doc = await dispatched_notice(desk)
    item = await decide(await desk("xsx.archivist"), (await transfer(await desk("xsx.registrar"), doc))["id"],
                        "accept")
    clean = await run_oa(demo.settings, "archive", "audit", "--quiet")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "2 个封装包已复核" in clean.stdout
    path = stored_path(demo, (await item_row(demo, item["id"])).package_sha256)
    flip_inside_first_payload(path)
    audit = await run_oa(demo.settings, "archive", "audit", "--quiet")
    assert audit.returncode == 1, audit.stdout + audit.stderr
    assert item["archival_code"] in audit.stdout and "SHA-256 不符" in audit.stdout
    assert "DAMAGED" in audit.stdout
    verify = await run_oa(demo.settings, "archive", "verify", str(path))
    assert verify.returncode == 1 and "INVALID" in verify.stdout and "摘要" in verify.stdout, verify.stdout
    # The damaged file is never served as if it were the record.
    response = await (await desk("xsx.archivist")).get(f"/api/archive/items/{item['id']}/package")
    assert response.status_code == 409 and "已被改动" in response.json()["detail"]


def hostile_variants(valid: bytes) -> dict[str, bytes]:
    text = valid.decode("utf-8")
    start = text.index("<编码数据>") + len("<编码数据>")
    end = text.index("</编码数据>", start)
    return {
        "xxe": ('<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE 电子文件封装包 ['
                '<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                f'<电子文件封装包 xmlns="{EEP_NS}"><封装包格式描述>&xxe;</封装包格式描述></电子文件封装包>').encode(),
        "bomb": ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                 '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                 '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
                 f'<电子文件封装包 xmlns="{EEP_NS}">&lol3;</电子文件封装包>').encode(),
        "truncated-base64": (text[:start] + text[start:end - 3] + text[end:]).encode(),
        "wrong-namespace": text.replace(EEP_NS, "http://example.org/not-eep").encode(),
    }


@pytest.mark.parametrize("kind", ["xxe", "bomb", "truncated-base64", "wrong-namespace"])
async def test_hostile_uploaded_packages_are_refused_with_a_clear_error_and_nothing_is_stored(
        demo: Any, desk: Desk, kind: str, tmp_path: Path) -> None:
    doc = await dispatched_notice(desk)
    registrar = await desk("xsx.registrar")
    item = await transfer(registrar, doc)
    valid = stored_path(demo, (await item_row(demo, item["id"])).package_sha256).read_bytes()
    archive_dir = Path(demo.settings.data_dir) / "archive"
    before = sorted(p.name for p in archive_dir.glob("*.eep"))
    response = await registrar.post("/api/archive/packages", content=hostile_variants(valid)[kind],
                                    headers={"Content-Type": "application/octet-stream"})
    assert response.status_code == 422, response.text
    assert "封装包未通过校验，未保存" in response.json()["detail"]
    assert sorted(p.name for p in archive_dir.glob("*.eep")) == before
    assert list((archive_dir / "incoming").iterdir()) == []
    async with demo.sessions() as session:
        assert (await session.execute(select(func.count()).select_from(ArchiveItem))).scalar_one() == 1


async def test_a_valid_upload_is_queued_and_its_duplicate_document_number_fails_the_checks(
        demo: Any, desk: Desk) -> None:
    doc = await dispatched_notice(desk)
    registrar = await desk("xsx.registrar")
    first = await transfer(registrar, doc)
    valid = stored_path(demo, (await item_row(demo, first["id"])).package_sha256).read_bytes()
    response = await registrar.post("/api/archive/packages", content=valid)
    assert response.status_code == 201, response.text
    uploaded = response.json()
    assert uploaded["status"] == "transferred" and not uploaded["checks_passed"]
    report = (await item_row(demo, uploaded["id"])).check_report
    failed = [f for f in report["findings"] if f["result"] == "fail"]
    assert [f["code"] for f in failed] == ["GD-1-6"] and failed[0]["title"] == "档号、文号不重复", failed
    refused = await decide(await desk("xsx.archivist"), uploaded["id"], "accept", expect=409)
    assert "四性检测未通过" in refused["detail"]


async def test_oa_archive_export_writes_each_units_year_for_the_county_archives(
        demo: Any, desk: Desk, tmp_path: Path) -> None:
    doc = await dispatched_notice(desk)
    item = await decide(await desk("xsx.archivist"), (await transfer(await desk("xsx.registrar"), doc))["id"],
                        "accept")
    out = tmp_path / "transfer"
    ran = await run_oa(demo.settings, "archive", "export", "--year", str(item["year"]), "--formats", "eep,bagit",
                       "--out", str(out))
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "象山县人民政府" in ran.stdout and "（1 件）" in ran.stdout
    packages = list((out / "eep").rglob("*.eep"))
    assert [p.name for p in packages] == [f"{item['archival_code']}.eep"]
    assert list((out / "bagit").rglob("bagit.txt"))
    nothing = await run_oa(demo.settings, "archive", "export", "--year", str(item["year"] - 1), "--out", str(out))
    assert nothing.returncode == 1 and "没有已接收的档案" in nothing.stderr
