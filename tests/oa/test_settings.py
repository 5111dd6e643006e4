"""Settings come from the environment mapping passed in, are checked, and are all documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from oa.settings import Settings, SettingsError

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_make_a_working_sqlite_office(tmp_path):
    settings = Settings.from_environ({"OA_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path / 'oa.db'}"
    assert settings.keys_dir == tmp_path / "keys"
    assert settings.access_token_minutes == 15 and not settings.classified_system


@pytest.mark.parametrize(("name", "value", "needle"), [
    ("OA_DATABASE_URL", "mysql://x", "OA_DATABASE_URL"),
    ("OA_ACCESS_TOKEN_MINUTES", "soon", "OA_ACCESS_TOKEN_MINUTES"),
    ("OA_ACCESS_TOKEN_MINUTES", "0", "at least 1"),
    ("OA_COOKIE_SECURE", "maybe", "OA_COOKIE_SECURE"),
    ("OA_LOG_LEVEL", "LOUD", "OA_LOG_LEVEL"),
    ("OA_GC_FULL_SECONDS", "10", "at least 60"),
    ("OA_GC_FREEZE_SECONDS", "-1", "OA_GC_FREEZE_SECONDS"),
])
def test_a_bad_value_is_refused_with_the_variable_named(tmp_path, name, value, needle):
    with pytest.raises(SettingsError, match=needle):
        Settings.from_environ({"OA_DATA_DIR": str(tmp_path), name: value})


def test_every_variable_the_code_reads_is_documented():
    documented = set(re.findall(r"`(OA_[A-Z0-9_]+)`", (ROOT / "docs" / "configuration.md").read_text("utf-8")))
    read: set[str] = set()
    for path in [*ROOT.glob("oa/**/*.py"), *ROOT.glob("docflow/**/*.py"), *ROOT.glob("archive/**/*.py"),
                 *ROOT.glob("tests/**/*.py"), *ROOT.glob("bench/*.py"), ROOT / "run", ROOT / "test",
                 ROOT / "scripts" / "setup-env"]:
        read |= set(re.findall(r"\b(OA_[A-Z0-9_]+)\b", path.read_text("utf-8")))
    read = {name for name in read if not name.endswith("_")}  # prefixes in f-strings, not names
    assert read, "the scan found no variables at all"
    assert read - documented == set(), f"undocumented variables: {sorted(read - documented)}"
