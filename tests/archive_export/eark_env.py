"""The E-ARK validator's own virtual environment: where it lives, how to set it up, how to run it.

eark-validator 1.1.3 pins lxml==5.1.0, so it never goes into the project's venv. Set it up once (CI does this
in its set-up step; nothing is downloaded while tests run):

    .venv/bin/python tests/archive_export/eark_env.py

which runs `python -m venv .venv-eark` and `.venv-eark/bin/pip install eark-validator==1.1.3`. The location
can be moved with OA_EARK_VENV. Tests that need the validator FAIL, with this command, when it is missing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EARK_VALIDATOR_VERSION = "1.1.3"
REPO_ROOT = Path(__file__).resolve().parents[2]
OFFLINE_RUNNER = Path(__file__).with_name("eark_offline.py")
# Errors eark-validator 1.1.3 reports on every correct 2.1.0 SIP (see the report of this part): CSIP63 is a
# logic error in its rule file, SIP14 contradicts CSIP16.
KNOWN_FALSE_ERRORS = frozenset({"CSIP63", "SIP14"})


def venv_dir() -> Path:
    return Path(os.environ.get("OA_EARK_VENV", REPO_ROOT / ".venv-eark"))


def venv_python() -> Path:
    return venv_dir() / "bin" / "python"


def setup_command() -> str:
    venv = venv_dir()
    return f"{sys.executable} -m venv {venv} && {venv}/bin/pip install eark-validator=={EARK_VALIDATOR_VERSION}"


@dataclass(frozen=True)
class EarkValidator:
    """A working eark-validator installation."""

    python: Path
    schema_dir: Path  # METS, xlink and DILCIS schemas shipped in the wheel
    known_false_errors: frozenset[str] = KNOWN_FALSE_ERRORS

    @staticmethod
    def schematron_errors(report: dict[str, Any]) -> set[str]:
        """Rule ids of the Schematron messages of severity Error."""
        return schematron_errors(report)

    def validate(self, package: Path) -> dict[str, Any]:
        """Run `eark-validator -s V2.1.0 PACKAGE` offline and return its JSON report."""
        # The validator unpacks zips under the system temp dir and never cleans up: give it one we remove.
        with tempfile.TemporaryDirectory(prefix="eark-validator-") as scratch:
            completed = subprocess.run(
                [str(self.python), str(OFFLINE_RUNNER), "-s", "V2.1.0", str(package)],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
                env={**os.environ, "TMPDIR": scratch},
            )
        # The exit code is 0 even for invalid packages: the report on the last line is what counts.
        lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
        if not lines:
            raise RuntimeError(f"eark-validator printed no report:\n{completed.stdout}\n{completed.stderr}")
        report: dict[str, Any] = json.loads(lines[-1])
        return report


def find_validator() -> EarkValidator | str:
    """The installed validator, or the reason it is unusable (with the command that fixes it)."""
    python = venv_python()
    if not python.exists():
        return f"eark-validator is not set up ({python} missing); run: {setup_command()}"
    probe = (
        "import importlib.metadata, importlib.util, pathlib;"
        "print(importlib.metadata.version('eark-validator'));"
        "print(pathlib.Path(importlib.util.find_spec('eark_validator').origin).parent"
        " / 'ipxml' / 'resources' / 'schema')"
    )
    completed = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        reason = completed.stderr.strip()
        return f"eark-validator is not importable in {python}: {reason}; run: {setup_command()}"
    version, schema_dir = completed.stdout.split()
    if version != EARK_VALIDATOR_VERSION:
        return f"eark-validator {version} found, {EARK_VALIDATOR_VERSION} expected; run: {setup_command()}"
    return EarkValidator(python=python, schema_dir=Path(schema_dir))


def schematron_errors(report: dict[str, Any]) -> set[str]:
    messages = report["metadata"]["schematron_results"]["messages"]
    return {message["rule_id"] for message in messages if message["severity"] == "Error"}


def main() -> None:
    venv = venv_dir()
    if not venv_python().exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv_python()), "-m", "pip", "install", f"eark-validator=={EARK_VALIDATOR_VERSION}"], check=True
    )
    found = find_validator()
    print(found if isinstance(found, str) else f"eark-validator {EARK_VALIDATOR_VERSION} ready in {venv}")


if __name__ == "__main__":
    main()
