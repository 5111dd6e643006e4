"""The `oa` command on a new deployment: migrate, create the first administrators (and the county), verify."""

from __future__ import annotations

import os
import subprocess
import sys


def oa(tmp_path, *args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OA_DATA_DIR": str(tmp_path), "OA_LOG_JSON": "false"}
    if password is not None:
        env["OA_BOOTSTRAP_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "oa.cli", *args], env=env, capture_output=True, text=True,
                          timeout=180)


def test_a_new_deployment_creates_its_county_and_three_administrators(tmp_path):
    assert oa(tmp_path, "migrate", "--check").returncode == 0
    missing = oa(tmp_path, "admin", "create", "--username", "sys.admin", "--name", "张三", "--unit", "XSX",
                 "--role", "sysadmin", password="Strong-pass-1")
    assert missing.returncode == 2 and "--unit-name" in missing.stderr
    first = oa(tmp_path, "admin", "create", "--username", "sys.admin", "--name", "张三", "--unit", "XSX",
               "--unit-name", "象山县人民政府", "--unit-short-name", "象山县政府", "--role", "sysadmin",
               password="Strong-pass-1")
    assert first.returncode == 0, first.stderr
    for username, role in [("sec.admin", "secadmin"), ("audit.admin", "auditadmin")]:
        made = oa(tmp_path, "admin", "create", "--username", username, "--name", "李四", "--unit", "XSX",
                  "--role", role, password="Strong-pass-1")
        assert made.returncode == 0, made.stderr
    weak = oa(tmp_path, "admin", "create", "--username", "weak.admin", "--name", "王五", "--unit", "XSX",
              "--role", "sysadmin", password="short")
    assert weak.returncode == 2
    verified = oa(tmp_path, "audit", "verify")
    assert verified.returncode == 0 and "4 条记录" in verified.stdout


def test_every_subcommand_has_help(tmp_path):
    for args in (["--help"], ["serve", "--help"], ["migrate", "--help"], ["demo", "--help"], ["audit", "verify", "--help"],
                 ["admin", "create", "--help"], ["render", "--help"], ["archive", "verify", "--help"],
                 ["archive", "audit", "--help"], ["exchange", "--help"]):
        result = oa(tmp_path, *args)
        assert result.returncode == 0 and "usage: oa" in result.stdout, args


def test_serve_refuses_to_start_with_an_unknown_archive_format(tmp_path):
    env_value = "PDF/A,GIF"
    result = subprocess.run([sys.executable, "-m", "oa.cli", "serve", "--port", "0"],
                            env={**os.environ, "OA_DATA_DIR": str(tmp_path), "OA_LOG_JSON": "false",
                                 "OA_ARCHIVE_FORMATS": env_value},
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 2
    assert "OA_ARCHIVE_FORMATS" in result.stderr and "'GIF'" in result.stderr
    assert "Traceback" not in result.stderr
