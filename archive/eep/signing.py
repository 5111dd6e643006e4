"""Signing keys for EEP packages and the check of a signature over already-hashed bytes.

The signed bytes are never canonicalised: the 签名规则 below says the signature covers SHA-256 over the
exact bytes of the element as they stand in the file, so the builder can sign while it streams and the
reader can re-check while it streams (see ``regions.py``). The digest is then signed with ECDSA P-256
(the default) or RSA-PSS, as a pre-hashed value. The certificate (or bare public key) travels in the
package's 证书块; trusting *whose* key it is remains the caller's decision (``key_fingerprint``).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from cryptography.x509.oid import NameOID

ECDSA_P256_SHA256 = "1.2.840.10045.4.3.2"  # ecdsa-with-SHA256, key on curve P-256
RSA_PSS_SHA256 = "1.2.840.113549.1.1.10"  # RSASSA-PSS with SHA-256, MGF1-SHA-256, salt 32

_BINDING = (
    "D = SHA-256(D1 ‖ L(签名标识符) ‖ L(签名规则) ‖ L(签名时间) ‖ L(签名人) ‖ L(签名算法标识) ‖ L(证书))，"
    "L(x) 为 x 的 UTF-8 字节数（4 字节大端）后接这些字节；签名结果为对 D 的签名（DER）的 Base64。"
    " The signature is over D, which binds the covered bytes and every field of the signature itself."
)
SIGNED_OBJECT_RULE = (
    "D1 = SHA-256(本文件中<被签名对象>元素从起始标签的“<”到结束标签的“>”（含）的全部原始字节，UTF-8，不做规范化)；"
    + _BINDING
)
LOCK_RULE = (
    "D1 = SHA-256(被锁定签名标识符所指<电子签名>元素从起始标签到结束标签（含）的全部原始字节)；"
    "下式中的签名标识符取被锁定签名标识符。" + _BINDING
)


@dataclass(frozen=True)
class SignatureFields:
    """The fields of a 电子签名 or 锁定签名 that the signature binds besides the covered bytes."""

    identifier: str
    rule: str
    time: str
    signer: str
    algorithm: str
    certificate_b64: str


def bound_digest(covered_sha256: bytes, fields: SignatureFields) -> bytes:
    """D of the 签名规则: the covered bytes' digest followed by each field, length-prefixed."""
    digest = hashlib.sha256(covered_sha256)
    for value in (fields.identifier, fields.rule, fields.time, fields.signer, fields.algorithm, fields.certificate_b64):
        encoded = value.encode("utf-8")
        digest.update(len(encoded).to_bytes(4, "big"))
        digest.update(encoded)
    return digest.digest()


class SignatureKeyError(ValueError):
    """A signing key that cannot be loaded or is of an unsupported kind."""


@dataclass(frozen=True)
class SignatureCheck:
    """The outcome of checking one signature: ``valid`` plus a reason a person can act on."""

    valid: bool
    reason: str
    key_fingerprint: str = ""


SigningKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


class PackageSigner:
    """The unit's or the archive's signing key, with the certificate that will travel in packages."""

    def __init__(self, key: SigningKey, signer_name: str, certificate: x509.Certificate | None = None):
        if isinstance(key, ec.EllipticCurvePrivateKey) and not isinstance(key.curve, ec.SECP256R1):
            raise SignatureKeyError(f"只支持 P-256 椭圆曲线密钥，收到 {key.curve.name}")
        if isinstance(key, rsa.RSAPrivateKey) and key.key_size < 2048:
            raise SignatureKeyError(f"RSA 密钥至少 2048 位，收到 {key.key_size} 位")
        self._key = key
        self.signer_name = signer_name
        self.certificate = certificate

    @classmethod
    def from_pem(
        cls,
        key_pem: bytes,
        signer_name: str,
        *,
        certificate_pem: bytes | None = None,
        password: bytes | None = None,
    ) -> PackageSigner:
        try:
            key = serialization.load_pem_private_key(key_pem, password=password)
        except (ValueError, TypeError) as exc:
            raise SignatureKeyError(f"无法读取签名私钥（PEM）：{exc}") from exc
        if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
            raise SignatureKeyError("签名私钥须为 ECDSA P-256 或 RSA")
        certificate = x509.load_pem_x509_certificate(certificate_pem) if certificate_pem else None
        return cls(key, signer_name, certificate)

    @classmethod
    def generate(cls, signer_name: str, *, valid_days: int = 3650) -> PackageSigner:
        """A fresh P-256 key with a self-signed certificate (for tests and first-time setup)."""
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, signer_name)])
        now = dt.datetime.now(dt.UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=valid_days))
            .sign(key, hashes.SHA256())
        )
        return cls(key, signer_name, certificate)

    @property
    def algorithm(self) -> str:
        return ECDSA_P256_SHA256 if isinstance(self._key, ec.EllipticCurvePrivateKey) else RSA_PSS_SHA256

    def certificate_der(self) -> bytes:
        """The certificate, or when there is none the SubjectPublicKeyInfo, in DER."""
        if self.certificate is not None:
            return self.certificate.public_bytes(serialization.Encoding.DER)
        return self._key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def sign_digest(self, sha256_digest: bytes) -> bytes:
        prehashed = utils.Prehashed(hashes.SHA256())
        if isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(sha256_digest, ec.ECDSA(prehashed))
        return self._key.sign(sha256_digest, _pss(), prehashed)

    def key_fingerprint(self) -> str:
        return public_key_fingerprint(self.certificate_der())


def _pss() -> padding.PSS:
    return padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)


def _load_public_key(der: bytes) -> ec.EllipticCurvePublicKey | rsa.RSAPublicKey:
    """The key in a DER certificate or SubjectPublicKeyInfo; ``ValueError`` for anything else."""
    key: object
    try:
        key = x509.load_der_x509_certificate(der).public_key()
    except (ValueError, UnsupportedAlgorithm):
        try:
            key = serialization.load_der_public_key(der)
        except (ValueError, UnsupportedAlgorithm) as exc:
            raise ValueError(f"证书无法解析：{exc}") from exc
    if not isinstance(key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey):
        raise ValueError("证书中的公钥既不是 EC 也不是 RSA")
    return key


def public_key_fingerprint(certificate_or_key_der: bytes) -> str:
    """SHA-256 (hex) of the SubjectPublicKeyInfo: stable whether a certificate or a bare key travelled."""
    try:
        key = _load_public_key(certificate_or_key_der)
    except ValueError:
        return ""
    spki = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(spki).hexdigest()


def _canonical_base64(text: str) -> bytes | None:
    """Decode base64 written exactly as the builder writes it; ``None`` for anything else.

    Canonical form matters: base64 has spare bits in its last character, so a non-canonical variant
    decodes to the same bytes, and a changed byte in the file would otherwise go unnoticed.
    """
    try:
        decoded = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return decoded if base64.b64encode(decoded).decode("ascii") == text else None


def check_signature(covered_sha256: bytes, fields: SignatureFields, signature_b64: str) -> SignatureCheck:
    """Check ``签名结果`` against the covered bytes' digest and the signature's own fields.

    Never raises on bad input: every failure comes back as a reason a person can act on.
    """
    signature = _canonical_base64(signature_b64)
    der = _canonical_base64(fields.certificate_b64)
    if signature is None or der is None:
        return SignatureCheck(False, "签名结果或证书不是规范的 Base64（含空白、非法字符或多余位）")
    algorithm = fields.algorithm
    sha256_digest = bound_digest(covered_sha256, fields)
    try:
        key = _load_public_key(der)
    except ValueError:
        return SignatureCheck(False, "证书块中的证书无法解析为 X.509 证书或公钥")
    fingerprint = public_key_fingerprint(der)
    prehashed = utils.Prehashed(hashes.SHA256())
    try:
        if algorithm == ECDSA_P256_SHA256 and isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, sha256_digest, ec.ECDSA(prehashed))
        elif algorithm == RSA_PSS_SHA256 and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, sha256_digest, _pss(), prehashed)
        else:
            reason = f"签名算法标识 {algorithm!r} 不受支持或与证书密钥类型不符"
            return SignatureCheck(False, reason, fingerprint)
    except InvalidSignature:
        reason = "签名值与所签字节的 SHA-256 摘要不符：签名后内容被改动，或签名被替换"
        return SignatureCheck(False, reason, fingerprint)
    return SignatureCheck(True, "签名有效", fingerprint)
