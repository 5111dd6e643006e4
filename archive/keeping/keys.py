"""Signing keys for packages: each unit's key (电子签名 at transfer) and the archive's own key (锁定签名 at acceptance).

`OA_KEYS_DIR/archive/<unit code>.pem` and `OA_KEYS_DIR/archive/archive-lock.pem`, EC P-256 (ES256), created on
first use. Several app nodes share OA_KEYS_DIR, so a new key is written whole to a private temporary file
(O_EXCL, 0600) and published with `os.link`, which fails if the name exists: one key wins, the loser reads it.
"""

from __future__ import annotations

import contextlib
import os
import re
import uuid
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from archive.eep.signing import PackageSigner

ARCHIVE_KEY_NAME = "archive-lock"
_KEY_NAME = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class ArchiveKeyError(ValueError):
    """A key name or key file that cannot be used."""


def _key_pem(path: Path) -> bytes:
    if path.exists():
        return path.read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    partial = path.parent / f".{path.name}.{uuid.uuid4().hex}"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(FileExistsError):  # another node won the race: use its key
            os.link(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path.read_bytes()


def signer_for(keys_dir: Path, key_name: str, signer_name: str) -> PackageSigner:
    """The signer whose key lives in `keys_dir/archive/<key_name>.pem`, created on first use."""
    if not _KEY_NAME.match(key_name):
        raise ArchiveKeyError(f"密钥名 {key_name!r} 只能含字母、数字、下划线和连字符")
    return PackageSigner.from_pem(_key_pem(keys_dir / "archive" / f"{key_name}.pem"), signer_name)


def unit_signer(keys_dir: Path, unit_code: str, unit_name: str) -> PackageSigner:
    return signer_for(keys_dir, unit_code, unit_name)


def archive_signer(keys_dir: Path, archive_name: str) -> PackageSigner:
    return signer_for(keys_dir, ARCHIVE_KEY_NAME, archive_name)
