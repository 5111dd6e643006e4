"""Access tokens: ES256 JWTs made and checked with python-jose, always with an explicit algorithm list.

python-jose 3.5 trusts the token's own `alg` header when `algorithms` is omitted, and then accepts an HS256 token
whose HMAC secret is our public key: so every decode here names `["ES256"]` and uses key objects built for ES256.
The signing key lives in a file under OA_KEYS_DIR (shared by all app nodes); it is created on first use.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jose import jwt
from jose.backends.cryptography_backend import CryptographyECKey
from jose.exceptions import JOSEError

from oa.errors import Unauthenticated

ALGORITHM = "ES256"
KEY_FILE = "jwt-es256.pem"


@dataclass(frozen=True)
class TokenKeys:
    kid: str
    private: CryptographyECKey
    public: CryptographyECKey
    public_pem: bytes

    @classmethod
    def from_pem(cls, pem: bytes) -> TokenKeys:
        private_key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(private_key, ec.EllipticCurvePrivateKey) or private_key.curve.name != "secp256r1":
            raise ValueError("the token signing key must be an EC P-256 private key (PEM)")
        public_pem = private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        der = private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        kid = hashlib.sha256(der).hexdigest()[:16]
        return cls(
            kid=kid,
            private=CryptographyECKey(private_key, ALGORITHM),
            public=CryptographyECKey(private_key.public_key(), ALGORITHM),
            public_pem=public_pem,
        )


def load_or_create_keys(keys_dir: Path) -> TokenKeys:
    path = keys_dir / KEY_FILE
    if not path.exists():
        keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        # O_EXCL: two nodes starting together must not both write a key; the loser reads the winner's.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
    return TokenKeys.from_pem(path.read_bytes())


@dataclass(frozen=True)
class AccessClaims:
    person_id: int
    session_id: str
    expires_at: datetime


def issue_access_token(
    keys: TokenKeys, *, person_id: int, session_id: str, now: datetime, lifetime: timedelta, issuer: str,
    audience: str,
) -> str:
    claims = {
        "iss": issuer,
        "aud": audience,
        "sub": str(person_id),
        "sid": session_id,
        "typ": "access",
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    token: str = jwt.encode(claims, keys.private, algorithm=ALGORITHM, headers={"kid": keys.kid})
    return token


def decode_access_token(keys: TokenKeys, token: str, *, issuer: str, audience: str) -> AccessClaims:
    """Return the claims of a valid token, or raise Unauthenticated. The session itself is checked by the caller."""
    try:
        header = jwt.get_unverified_header(token)
    except JOSEError as exc:
        raise Unauthenticated("登录凭据格式不正确，请重新登录") from exc
    # Belt and braces: refuse anything but our one algorithm and key before the library sees it.
    if header.get("alg") != ALGORITHM or header.get("kid") != keys.kid or "zip" in header or "crit" in header:
        raise Unauthenticated("登录凭据不是本系统签发的，请重新登录")
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            keys.public,
            algorithms=[ALGORITHM],
            audience=audience,
            issuer=issuer,
            options={"require_exp": True, "require_nbf": True, "require_iat": True, "require_sub": True,
                     "require_aud": True, "require_iss": True, "leeway": 0},
        )
    except JOSEError as exc:
        raise Unauthenticated(f"登录已失效，请重新登录（{_reason(exc)}）") from exc
    if claims.get("typ") != "access" or not isinstance(claims.get("sid"), str):
        raise Unauthenticated("登录凭据类型不正确，请重新登录")
    try:
        person_id = int(claims["sub"])
    except (TypeError, ValueError) as exc:
        raise Unauthenticated("登录凭据内容不正确，请重新登录") from exc
    return AccessClaims(person_id, claims["sid"], datetime.fromtimestamp(int(claims["exp"]), UTC))


def _reason(exc: JOSEError) -> str:
    text = str(exc).lower()
    if "expired" in text:
        return "凭据已过期"
    if "not yet valid" in text or "before" in text:
        return "凭据尚未生效"
    if "audience" in text:
        return "凭据的受众不符"
    if "issuer" in text:
        return "凭据的签发者不符"
    return "签名无效"


def jwks(keys: TokenKeys) -> dict[str, Any]:
    public = json.loads(json.dumps(keys.public.to_dict()))
    public.update({"kid": keys.kid, "use": "sig", "alg": ALGORITHM})
    return {"keys": [public]}
