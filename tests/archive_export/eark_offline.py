"""Run `eark-validator` without any network access.

Run it with the validator's own interpreter (`.venv-eark/bin/python eark_offline.py -s V2.1.0 PACKAGE`),
never import it into the project's environment (eark-validator pins lxml==5.1.0). At import time 1.1.3
downloads the DILCIS vocabularies from earkcsip.dilcis.eu although the same files ship in its wheel: this
script answers those URLs from the wheel's copies and makes every other connection attempt fail, so a test
run never touches the network. The validator's exit code means nothing (0 even for invalid packages): the
caller reads the JSON report printed on the last line.
"""

from __future__ import annotations

import importlib.util
import socket
import sys
import urllib.request
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlparse

VOCABULARY_HOSTS = {"earkcsip.dilcis.eu", "earksip.dilcis.eu"}


def _vocabulary_dir() -> Path:
    # find_spec locates the package without importing it (importing it would trigger the downloads).
    spec = importlib.util.find_spec("eark_validator")
    if spec is None or spec.origin is None:
        raise SystemExit("eark_validator is not installed in this interpreter")
    return Path(spec.origin).parent / "ipxml" / "resources" / "vocabs"


def _offline_urlopen(url: Any, *args: Any, **kwargs: Any) -> BinaryIO:
    address = url if isinstance(url, str) else url.full_url
    parsed = urlparse(address)
    local = _vocabulary_dir() / parsed.path.rsplit("/", 1)[-1]
    if parsed.hostname in VOCABULARY_HOSTS and local.is_file():
        return local.open("rb")
    raise OSError(f"network access is disabled while validating: {address}")


def _refuse_connection(*args: Any, **kwargs: Any) -> None:
    raise OSError("network access is disabled while validating")


def main() -> None:
    urllib.request.urlopen = _offline_urlopen  # type: ignore[assignment]
    socket.socket.connect = _refuse_connection  # type: ignore[method-assign]
    socket.create_connection = _refuse_connection  # type: ignore[assignment]
    from eark_validator.cli.app import main as validator_main

    sys.argv[0] = "eark-validator"
    validator_main()


if __name__ == "__main__":
    main()
