"""The installed package carries every file the code reads at run time.

The production image installs the project with `pip install .` (not editable), so a file inside `oa/`, `docflow/`
or `archive/` that no `[tool.setuptools.package-data]` pattern names is missing in production while every test of
an editable checkout still passes (an XSD, a migration template). New kinds of data file must be added to the
patterns; this test names the file that would be left behind.
"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("oa", "docflow", "archive")


def package_data_patterns() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns: list[str] = config["tool"]["setuptools"]["package-data"]["*"]
    return patterns


def data_files() -> list[Path]:
    return sorted(
        path for package in PACKAGES for path in (ROOT / package).rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    )


def test_every_data_file_of_the_packages_is_installed_with_them() -> None:
    patterns = package_data_patterns()
    files = data_files()
    assert any(f.suffix == ".xsd" for f in files) and any(f.suffix == ".mako" for f in files)  # the walk sees them
    left_behind = [str(f.relative_to(ROOT)) for f in files if not any(fnmatch.fnmatch(f.name, p) for p in patterns)]
    assert left_behind == [], f"not in [tool.setuptools.package-data]: {left_behind}"


def test_the_schema_folders_are_found_as_packages() -> None:
    # Folders holding only data files are packages only as namespaces: without this they are not installed at all.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    find = config["tool"]["setuptools"]["packages"]["find"]
    assert find["namespaces"] is True and set(find["include"]) >= {f"{p}*" for p in PACKAGES}
