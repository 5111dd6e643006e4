"""The archive's pure and file-level parts without the app: the retention table and its JSON override, search
normalisation, who sees what, the write-once store and the signing keys created once under races."""

from __future__ import annotations

import json
import os
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from archive.catalogue.access import may_export, may_read, scope_of
from archive.catalogue.search_text import like_pattern, normalise, search_text
from archive.checks.archival_code import RetentionPeriod
from archive.keeping.keys import signer_for
from archive.keeping.models import ItemStatus
from archive.keeping.retention import (
    RetentionTable,
    RetentionTableError,
    load_retention_table,
    parse_retention_table,
)
from archive.keeping.store import PackageStore, StoredPackageDamaged
from oa.auth.principal import Principal
from oa.errors import Forbidden
from oa.org.roles import Role


def person(unit_id: int, *roles: Role) -> Principal:
    return Principal(person_id=1, username="x", name="x", unit_id=unit_id, office_id=None, roles=frozenset(roles))


def test_the_default_retention_table_keeps_policy_documents_for_good_and_letters_ten_years() -> None:
    table = RetentionTable()
    assert table.retention_for("XSX", "决定") is RetentionPeriod.PERMANENT
    assert table.retention_for("XSX", "通知") is RetentionPeriod.THIRTY_YEARS
    assert table.retention_for("XSX", "函") is RetentionPeriod.TEN_YEARS
    assert table.retention_for("XSX", "未知文种") is RetentionPeriod.THIRTY_YEARS
    assert table.fonds_for("XSX", 7) == "Z007"


def test_a_units_entry_wins_over_the_document_type_and_the_file_is_read_through_the_variable(tmp_path: Path) -> None:
    path = tmp_path / "retention.json"
    path.write_text(json.dumps({"default": "D10", "by_doc_type": {"通知": "Y"}, "by_unit": {"DDJD": {"通知": "D10"}},
                                "fonds": {"XSX": "Z109"}}), encoding="utf-8")
    table = load_retention_table({"OA_ARCHIVE_RETENTION_FILE": str(path)})
    assert table.retention_for("XSX", "通知") is RetentionPeriod.PERMANENT
    assert table.retention_for("DDJD", "通知") is RetentionPeriod.TEN_YEARS
    assert table.retention_for("XSX", "没有的文种") is RetentionPeriod.TEN_YEARS
    assert table.fonds_for("XSX", 1) == "Z109" and table.fonds_for("DDJD", 2) == "Z002"
    assert load_retention_table({}) == RetentionTable()


@pytest.mark.parametrize("data, message", [
    ({"by_doc_type": {"通知": "30年"}}, "by_doc_type.通知"),
    ({"fonds": {"XSX": "z1"}}, "fonds.XSX"),
    ({"colour": "red"}, "未知的键"),
    ([], "JSON 对象"),
])
def test_a_wrong_retention_file_is_refused_naming_the_entry(data: object, message: str) -> None:
    with pytest.raises(RetentionTableError, match=message):
        parse_retention_table(data)


def test_an_unreadable_retention_file_names_the_variable(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(RetentionTableError, match="OA_ARCHIVE_RETENTION_FILE"):
        load_retention_table({"OA_ARCHIVE_RETENTION_FILE": str(tmp_path / "bad.json")})


def test_search_text_folds_width_case_and_spaces_and_escapes_like_wildcards() -> None:
    assert normalise("２０２６ 年 ＡＢＣ") == "2026年abc"
    assert search_text(["题名", "", "正文"]) == "题名\x1f正文"
    assert like_pattern("100%_a\\") == "%100\\%\\_a\\\\%"


def test_staff_see_public_accepted_items_of_their_unit_and_archivists_see_more() -> None:
    staff = scope_of(person(1, Role.DRAFTER), county_archives_id=9)
    assert may_read(staff, 1, ItemStatus.ACCEPTED, public=True)
    assert not may_read(staff, 1, ItemStatus.ACCEPTED, public=False)
    assert not may_read(staff, 1, ItemStatus.TRANSFERRED, public=True)
    assert not may_read(staff, 2, ItemStatus.ACCEPTED, public=True)
    own = scope_of(person(1, Role.ARCHIVIST), county_archives_id=9)
    assert may_read(own, 1, ItemStatus.REJECTED, public=False) and not may_read(own, 2, ItemStatus.ACCEPTED, True)
    county = scope_of(person(9, Role.ARCHIVIST), county_archives_id=9)
    assert may_read(county, 2, ItemStatus.ACCEPTED, public=False)
    assert not may_read(county, 2, ItemStatus.TRANSFERRED, public=True)
    assert may_export(person(9, Role.ARCHIVIST), 9, 2) and not may_export(person(1, Role.ARCHIVIST), 9, 2)
    assert not may_export(person(1, Role.REGISTRAR), 9, 1)
    with pytest.raises(Forbidden, match="三员分立"):
        scope_of(person(1, Role.SYSADMIN), county_archives_id=9)


def test_the_store_publishes_once_read_only_and_refuses_a_changed_file(tmp_path: Path) -> None:
    store = PackageStore(tmp_path)
    with store.scratch() as (path, out):
        out.write(b"<package/>")
        out.flush()
        stored = store.publish(path)
    assert stored.path.read_bytes() == b"<package/>"
    assert stat.S_IMODE(stored.path.stat().st_mode) == 0o444
    assert list(store.incoming.iterdir()) == []
    with store.scratch() as (path, out):
        out.write(b"<package/>")
        out.flush()
        assert store.publish(path) == stored  # the same bytes: the stored file is reused, not replaced
    assert store.open_checked(stored.sha256, stored.size) == stored.path
    os.chmod(stored.path, 0o644)
    stored.path.write_bytes(b"<changed/>")
    with pytest.raises(StoredPackageDamaged, match="已被改动"):
        store.open_checked(stored.sha256, stored.size)
    with store.scratch() as (path, out):
        out.write(b"<package/>")
        out.flush()
        with pytest.raises(StoredPackageDamaged, match="拒绝覆盖"):
            store.publish(path)
    assert stored.path.read_bytes() == b"<changed/>"  # evidence kept for the audit, never silently repaired


def test_a_units_package_key_is_created_once_even_under_races(tmp_path: Path) -> None:
    with ThreadPoolExecutor(8) as pool:
        signers = list(pool.map(lambda _: signer_for(tmp_path, "XSX", "象山县人民政府"), range(16)))
    assert len({s.key_fingerprint() for s in signers}) == 1
    key_file = tmp_path / "archive" / "XSX.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert [p.name for p in key_file.parent.iterdir()] == ["XSX.pem"]
    with pytest.raises(ValueError, match="密钥名"):
        signer_for(tmp_path, "../etc", "x")
