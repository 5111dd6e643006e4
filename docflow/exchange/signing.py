"""Node signatures: EC P-256 keys, ES256 JWS over the exact message bytes, JWKS and key rotation.

Wire form: a *detached* compact JWS (RFC 7515 appendix F), `<protected header>..<signature>`, sent in an HTTP
header next to the body; the receiver re-inserts base64url(body) as the payload, so the body travels once and
the signature covers its exact bytes. The protected header holds only `alg` (always ES256), `kid` and `typ`.

python-jose signs; verification is ES256 with `cryptography` directly, after the header checks (see
`verify_message`). The pitfalls this module closes (see tests/exchange/test_signing_pitfalls.py):
- only ES256 is ever verified: a token forged with HS256 using the public key's PEM or DER bytes as the HMAC
  secret, or `alg: none`, is refused before any cryptography;
- keys are built as EC keys from `cryptography` objects or validated JWKs, never from bytes of unknown format;
- any header member other than alg/kid/typ (`zip`, `crit`, `jku`, `jwk`, `x5u`, `b64` …) is refused before
  the signature is even checked.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from jose import jws
from jose.backends import ECKey
from jose.constants import ALGORITHMS

from docflow.exchange.errors import BadSignature, InvalidKey, MissingSignature

ALGORITHM = ALGORITHMS.ES256
JWS_TYPE = "xiangshan-exchange+jws"
_ALLOWED_HEADER_MEMBERS = frozenset({"alg", "kid", "typ"})
_COORDINATE_BYTES = 32  # P-256


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    if not isinstance(text, str) or not text.isascii():
        raise ValueError("not base64url text")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _coordinates(public_key: ec.EllipticCurvePublicKey) -> tuple[str, str]:
    numbers = public_key.public_numbers()
    return (
        b64url(numbers.x.to_bytes(_COORDINATE_BYTES, "big")),
        b64url(numbers.y.to_bytes(_COORDINATE_BYTES, "big")),
    )


def thumbprint(public_key: ec.EllipticCurvePublicKey) -> str:
    """RFC 7638 JWK thumbprint (SHA-256): our key ids, unique across every node by construction."""
    x, y = _coordinates(public_key)
    members = {"crv": "P-256", "kty": "EC", "x": x, "y": y}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True)
    return b64url(hashlib.sha256(canonical.encode("ascii")).digest())


def _require_p256(key: ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) -> None:
    if not isinstance(key.curve, ec.SECP256R1):
        raise InvalidKey(f"节点密钥必须是 P-256 曲线，收到的是 {key.curve.name}")


@dataclass(frozen=True, slots=True)
class PublicNodeKey:
    """A node's published verification key, as found in its JWKS."""

    kid: str
    public_key: ec.EllipticCurvePublicKey

    def __post_init__(self) -> None:
        _require_p256(self.public_key)
        if not self.kid:
            raise InvalidKey("公钥缺少 kid")

    def to_jwk(self) -> dict[str, str]:
        x, y = _coordinates(self.public_key)
        return {"kty": "EC", "crv": "P-256", "x": x, "y": y, "kid": self.kid, "alg": ALGORITHM, "use": "sig"}

    @classmethod
    def from_jwk(cls, jwk: Mapping[str, Any]) -> PublicNodeKey:
        """A public key from a JWK, refusing anything but a public EC P-256 signing key for ES256."""
        if not isinstance(jwk, Mapping):
            raise InvalidKey("JWK 必须是 JSON 对象")
        if "d" in jwk:
            raise InvalidKey("JWKS 只能含公钥：发现了私钥成员 d，请勿发布私钥")
        if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
            raise InvalidKey(f"JWK {jwk.get('kid')!r} 不是 EC P-256 密钥")
        if jwk.get("alg", ALGORITHM) != ALGORITHM or jwk.get("use", "sig") != "sig":
            raise InvalidKey(f"JWK {jwk.get('kid')!r} 必须用于 ES256 签名（alg=ES256, use=sig）")
        kid = jwk.get("kid")
        if not isinstance(kid, str) or not kid or len(kid) > 128:
            raise InvalidKey("JWK 缺少 kid（1 至 128 个字符）")
        try:
            x, y = b64url_decode(jwk["x"]), b64url_decode(jwk["y"])
            if len(x) != _COORDINATE_BYTES or len(y) != _COORDINATE_BYTES:
                raise ValueError("coordinate length")
            numbers = ec.EllipticCurvePublicNumbers(
                int.from_bytes(x, "big"), int.from_bytes(y, "big"), ec.SECP256R1()
            )
            public_key = numbers.public_key()
        except (KeyError, ValueError, TypeError, binascii.Error) as exc:
            raise InvalidKey(f"JWK {kid!r} 的坐标无效（不是 P-256 曲线上的点）") from exc
        return cls(kid, public_key)


@dataclass(frozen=True, slots=True)
class NodeKey:
    """A node's private signing key. Its kid is the RFC 7638 thumbprint unless given explicitly."""

    kid: str
    private_key: ec.EllipticCurvePrivateKey

    def __post_init__(self) -> None:
        _require_p256(self.private_key)

    @classmethod
    def generate(cls) -> NodeKey:
        private_key = ec.generate_private_key(ec.SECP256R1())
        return cls(thumbprint(private_key.public_key()), private_key)

    @classmethod
    def from_pem(cls, pem: bytes, kid: str | None = None) -> NodeKey:
        """Load an unencrypted PKCS#8 PEM private key (the node's secret store hands us this)."""
        try:
            private_key = serialization.load_pem_private_key(pem, password=None)
        except (ValueError, TypeError) as exc:
            raise InvalidKey("不是有效的 PEM 私钥") from exc
        if not isinstance(private_key, ec.EllipticCurvePrivateKey):
            raise InvalidKey("节点私钥必须是 EC P-256 密钥")
        _require_p256(private_key)  # before the thumbprint, which assumes 32-byte coordinates
        return cls(kid or thumbprint(private_key.public_key()), private_key)

    def to_pem(self) -> bytes:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    def public(self) -> PublicNodeKey:
        return PublicNodeKey(self.kid, self.private_key.public_key())


def sign_message(body: bytes, key: NodeKey) -> str:
    """Detached ES256 JWS (`header..signature`) over the exact bytes of `body`, with `kid` protected."""
    token: str = jws.sign(
        body,
        ECKey(key.private_key, ALGORITHM),
        headers={"kid": key.kid, "typ": JWS_TYPE},
        algorithm=ALGORITHM,
    )
    header, _payload, signature = token.split(".")
    return f"{header}..{signature}"


def read_protected_header(signature: str | None) -> dict[str, str]:
    """The validated protected header of a detached JWS; the receiver needs its `kid` to find the key.

    Refuses (before any cryptography) a missing signature, a non-detached form, an algorithm other than
    ES256 (`none`, HS256 …) and any header member outside alg/kid/typ, `zip` included.
    """
    if signature is None or not signature.strip():
        raise MissingSignature("消息没有节点签名（缺少签名头）")
    parts = signature.strip().split(".")
    if len(parts) != 3 or parts[1] != "" or not parts[0] or not parts[2]:
        raise BadSignature("签名必须是分离式 JWS：<头部>..<签名>")
    try:
        header = json.loads(b64url_decode(parts[0]))
    except (ValueError, binascii.Error) as exc:
        raise BadSignature("签名头部不是 base64url 编码的 JSON") from exc
    if not isinstance(header, dict):
        raise BadSignature("签名头部必须是 JSON 对象")
    unexpected = sorted(set(header) - _ALLOWED_HEADER_MEMBERS)
    if unexpected:
        raise BadSignature(f"签名头部含有不允许的成员：{', '.join(unexpected)}")
    if header.get("alg") != ALGORITHM:
        raise BadSignature(f"签名算法必须是 {ALGORITHM}，收到 {header.get('alg')!r}")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise BadSignature("签名头部缺少 kid")
    if header.get("typ", JWS_TYPE) != JWS_TYPE:
        raise BadSignature(f"签名类型必须是 {JWS_TYPE}")
    return {str(name): str(value) for name, value in header.items()}


def verify_message(body: bytes, signature: str | None, key: PublicNodeKey) -> None:
    """Verify a detached JWS over `body` with `key`; raise MissingSignature or BadSignature on failure.

    ES256 is checked directly with `cryptography` once `read_protected_header` has refused every other
    algorithm and header member: python-jose would need the payload re-inserted as base64url text only to decode
    it again (a second full pass over a message of up to 50 MB) and would parse the header a second time.
    """
    read_protected_header(signature)
    assert signature is not None  # refused above; the assert only narrows the type
    header, _empty, encoded_signature = signature.strip().split(".")
    try:
        raw = b64url_decode(encoded_signature)
    except (ValueError, binascii.Error) as exc:
        raise BadSignature("签名值不是 base64url 编码") from exc
    if len(raw) != 2 * _COORDINATE_BYTES:  # JWS ES256 is R || S, 32 bytes each (RFC 7518 §3.4), never DER
        raise BadSignature("节点签名验证失败：ES256 签名值必须是 64 字节")
    der = encode_dss_signature(int.from_bytes(raw[:_COORDINATE_BYTES], "big"),
                               int.from_bytes(raw[_COORDINATE_BYTES:], "big"))
    # The JWS signing input: ASCII(header) '.' ASCII(BASE64URL(payload)) — the body's exact bytes, encoded once.
    signing_input = header.encode("ascii") + b"." + base64.urlsafe_b64encode(body).rstrip(b"=")
    try:
        key.public_key.verify(der, signing_input, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as exc:
        raise BadSignature("节点签名验证失败：消息在传输中被改动，或不是该密钥签署") from exc


def export_jwks(keys: Iterable[PublicNodeKey]) -> dict[str, list[dict[str, str]]]:
    return {"keys": [key.to_jwk() for key in keys]}


def import_jwks(document: Mapping[str, Any]) -> tuple[PublicNodeKey, ...]:
    """Public keys from a JWKS document; duplicate kids and private members are refused."""
    keys = document.get("keys") if isinstance(document, Mapping) else None
    if not isinstance(keys, list):
        raise InvalidKey("JWKS 必须是含 keys 数组的 JSON 对象")
    imported = tuple(PublicNodeKey.from_jwk(jwk) for jwk in keys)
    kids = [key.kid for key in imported]
    if len(set(kids)) != len(kids):
        raise InvalidKey("JWKS 中有重复的 kid")
    return imported


@dataclass(frozen=True, slots=True)
class NodeKeyring:
    """A node's own keys: new messages are signed with `current`; `previous` keys stay published so that
    messages signed before a rotation (still in peers' retry queues) verify until the key is retired."""

    current: NodeKey
    previous: tuple[NodeKey, ...] = ()

    def rotate(self, new_key: NodeKey | None = None) -> NodeKeyring:
        fresh = new_key or NodeKey.generate()
        if fresh.kid in {key.kid for key in self.all_keys()}:
            raise InvalidKey(f"kid {fresh.kid} 已在使用")
        return NodeKeyring(fresh, (self.current, *self.previous))

    def retire(self, kid: str) -> NodeKeyring:
        """Stop publishing a previous key; the current key cannot be retired (rotate first)."""
        if kid == self.current.kid:
            raise InvalidKey("不能停用当前签名密钥，请先轮换")
        if kid not in {key.kid for key in self.previous}:
            raise InvalidKey(f"没有 kid 为 {kid} 的旧密钥")
        return NodeKeyring(self.current, tuple(key for key in self.previous if key.kid != kid))

    def all_keys(self) -> tuple[NodeKey, ...]:
        return (self.current, *self.previous)

    def published(self) -> tuple[PublicNodeKey, ...]:
        return tuple(key.public() for key in self.all_keys())

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return export_jwks(self.published())

    def sign(self, body: bytes) -> str:
        return sign_message(body, self.current)
