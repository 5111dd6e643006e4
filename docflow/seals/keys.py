"""Each unit's seal key: an EC P-256 private key in `OA_KEYS_DIR/seals/<unit code>.pem`, and the JWS made with it.

The key is created on first use. Every app node shares OA_KEYS_DIR, so two nodes may seal for the same unit at the
same moment: the key is written completely to a private temporary file (O_EXCL, mode 0600) and then published with
`os.link`, which fails if the name exists. Exactly one key wins, the loser reads it, and nobody ever reads a
half-written file. The key id is the RFC 7638 thumbprint of the public key.

Signatures are detached compact JWS (`<protected header>..<signature>`, RFC 7515 appendix F) made with python-jose
and an explicit algorithm; verification names `algorithms=["ES256"]` and refuses any header beyond alg/kid/typ,
so a token re-signed with HS256 over the public key, or `alg: none`, never verifies.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jose import jws
from jose.backends import ECKey
from jose.exceptions import JOSEError

from docflow.exchange.signing import b64url, b64url_decode, thumbprint

ALGORITHM = "ES256"
JWS_TYPE = "xiangshan-seal+jws"
_ALLOWED_HEADER = frozenset({"alg", "kid", "typ"})
_UNIT_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class SealKeyError(ValueError):
    """A seal key file that cannot be used (wrong curve, unreadable)."""


class BadSealSignature(ValueError):
    """The signature does not verify; the message says how it failed."""


@dataclass(frozen=True)
class SealKey:
    unit_code: str
    kid: str
    private_key: ec.EllipticCurvePrivateKey

    def sign(self, payload: bytes) -> str:
        token: str = jws.sign(payload, ECKey(self.private_key, ALGORITHM),
                              headers={"kid": self.kid, "typ": JWS_TYPE}, algorithm=ALGORITHM)
        header, _payload, signature = token.split(".")
        return f"{header}..{signature}"

    def verify(self, payload: bytes, detached: str) -> None:
        """Raise BadSealSignature unless `detached` is this key's ES256 signature over exactly `payload`."""
        parts = detached.split(".")
        if len(parts) != 3 or parts[1] != "":
            raise BadSealSignature("签名格式不对（应为分离式 JWS）")
        try:
            header = json.loads(b64url_decode(parts[0]))
        except ValueError as exc:
            raise BadSealSignature("签名头部无法解析") from exc
        if not isinstance(header, dict) or set(header) - _ALLOWED_HEADER or header.get("alg") != ALGORITHM:
            raise BadSealSignature("签名头部不合规定（只允许 ES256，alg/kid/typ）")
        if header.get("kid") != self.kid:
            raise BadSealSignature(f"签名所用密钥 {header.get('kid')} 不是本单位印章密钥 {self.kid}")
        token = f"{parts[0]}.{b64url(payload)}.{parts[2]}"
        try:
            jws.verify(token, ECKey(self.private_key.public_key(), ALGORITHM), algorithms=[ALGORITHM])
        except JOSEError as exc:
            raise BadSealSignature("签名值与公文内容不符") from exc


class SealKeyring:
    """The seal keys of every unit, in `<keys_dir>/seals/`."""

    def __init__(self, keys_dir: Path) -> None:
        self.directory = keys_dir / "seals"

    def path_of(self, unit_code: str) -> Path:
        if not _UNIT_CODE.match(unit_code):
            raise SealKeyError(f"单位代码 {unit_code!r} 不能用作印章密钥文件名")
        return self.directory / f"{unit_code}.pem"

    def load(self, unit_code: str) -> SealKey | None:
        """The unit's key, or None when it has never sealed (verification never creates keys)."""
        path = self.path_of(unit_code)
        try:
            pem = path.read_bytes()
        except FileNotFoundError:
            return None
        return _from_pem(unit_code, pem)

    def load_or_create(self, unit_code: str) -> SealKey:
        existing = self.load(unit_code)
        if existing is not None:
            return existing
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        temporary = self.directory / f".{unit_code}.{uuid.uuid4().hex}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
                fh.flush()
                os.fsync(fh.fileno())
            with contextlib.suppress(FileExistsError):  # another node created it first: theirs is the key
                os.link(temporary, self.path_of(unit_code))
        finally:
            temporary.unlink(missing_ok=True)
        key = self.load(unit_code)
        assert key is not None  # just linked, by us or by the winner
        return key


def _from_pem(unit_code: str, pem: bytes) -> SealKey:
    try:
        private_key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise SealKeyError(f"单位 {unit_code} 的印章密钥文件无法读取") from exc
    if not isinstance(private_key, ec.EllipticCurvePrivateKey) or not isinstance(private_key.curve, ec.SECP256R1):
        raise SealKeyError(f"单位 {unit_code} 的印章密钥必须是 EC P-256 私钥")
    return SealKey(unit_code, thumbprint(private_key.public_key()), private_key)
