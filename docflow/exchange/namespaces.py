"""XML namespaces and schema locations of the exchange protocol, in one place.

Every builder, parser and test takes its names from here, so a new protocol version changes one module.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

PROTOCOL_VERSION = "1.0"
"""The only protocol version this code speaks; also the value of the HTTP version header."""

SUPPORTED_VERSIONS = frozenset({PROTOCOL_VERSION})

EXCHANGE_NS = "urn:xiangshan-oa:exchange:1.0"
"""Target namespace shared by the envelope and the receipt schemas."""

ENVELOPE_TAG = f"{{{EXCHANGE_NS}}}envelope"
RECEIPT_TAG = f"{{{EXCHANGE_NS}}}receipt"

NSMAP: dict[str | None, str] = {None: EXCHANGE_NS}


def q(local_name: str) -> str:
    """The Clark-notation name (`{ns}local`) of an element of the exchange namespace."""
    return f"{{{EXCHANGE_NS}}}{local_name}"


def schema_path(file_name: str) -> Path:
    """Path of a schema file shipped inside this package (schemas are never fetched from the network)."""
    return Path(str(resources.files("docflow.exchange").joinpath("schema", file_name)))


ENVELOPE_SCHEMA_FILE = "envelope-1.0.xsd"
RECEIPT_SCHEMA_FILE = "receipt-1.0.xsd"
