"""Node signatures: the python-jose pitfalls are closed, and keys of the wrong kind are refused.

Each forgery below is first shown to be *real* (python-jose itself accepts it when the algorithm list is left
open), so the refusal that follows proves our guard, not a broken forgery.
"""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jose import jws
from jose.backends import ECKey
from jose.exceptions import JWSError

from docflow.exchange.envelope import build_envelope
from docflow.exchange.errors import BadSignature, InvalidKey
from docflow.exchange.signing import (
    JWS_TYPE,
    NodeKey,
    PublicNodeKey,
    b64url,
    read_protected_header,
    sign_message,
    thumbprint,
    verify_message,
)

from .conftest import TwoNodes, make_envelope


def body() -> bytes:
    return build_envelope(make_envelope())


def detached(header: dict[str, object], signature: bytes) -> str:
    return f"{b64url(json.dumps(header).encode())}..{b64url(signature)}"


def hs256_forgery(payload: bytes, secret: bytes, kid: str) -> tuple[str, str]:
    """An HS256 JWS over `payload` with `secret` as HMAC key: (attached compact form, detached form)."""
    header = b64url(json.dumps({"alg": "HS256", "kid": kid, "typ": JWS_TYPE}).encode())
    signing_input = f"{header}.{b64url(payload)}"
    mac = b64url(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())
    return f"{signing_input}.{mac}", f"{header}..{mac}"


def public_bytes(key: NodeKey, encoding: serialization.Encoding) -> bytes:
    return key.private_key.public_key().public_bytes(
        encoding, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def test_a_signature_covers_the_exact_body_bytes_and_names_its_key(nodes: TwoNodes) -> None:
    key = nodes.a_keys.current
    signature = sign_message(body(), key)
    _header, payload_part, _signature = signature.split(".")
    assert payload_part == ""  # detached: the body is not sent twice
    assert read_protected_header(signature) == {"alg": "ES256", "kid": key.kid, "typ": JWS_TYPE}
    verify_message(body(), signature, key.public())
    with pytest.raises(BadSignature):
        verify_message(body() + b"\n", signature, key.public())


def test_a_forged_hs256_token_keyed_with_the_public_der_is_refused(nodes: TwoNodes) -> None:
    key = nodes.a_keys.current
    der = public_bytes(key, serialization.Encoding.DER)
    attached, forged = hs256_forgery(body(), der, key.kid)
    # The pitfall is real: python-jose accepts the forgery when HS256 is allowed and the key is raw bytes.
    assert jws.verify(attached, der, algorithms=["HS256"]) == body()
    with pytest.raises(BadSignature, match="ES256"):
        nodes.check(body(), forged)


def test_a_forged_hs256_token_keyed_with_the_public_pem_is_refused(nodes: TwoNodes) -> None:
    key = nodes.a_keys.current
    pem = public_bytes(key, serialization.Encoding.PEM)
    _attached, forged = hs256_forgery(body(), pem, key.kid)
    with pytest.raises(BadSignature, match="ES256"):
        nodes.check(body(), forged)


def test_python_jose_with_an_es256_only_list_refuses_the_hs256_forgery(nodes: TwoNodes) -> None:
    key = nodes.a_keys.current
    attached, _ = hs256_forgery(body(), public_bytes(key, serialization.Encoding.DER), key.kid)
    with pytest.raises(JWSError):
        jws.verify(attached, ECKey(key.private_key.public_key(), "ES256"), algorithms=["ES256"])


@pytest.mark.parametrize("signature_bytes", [b"", b"anything"], ids=["empty-signature", "junk-signature"])
def test_alg_none_is_refused(nodes: TwoNodes, signature_bytes: bytes) -> None:
    header = {"alg": "none", "kid": nodes.a_keys.current.kid}
    with pytest.raises(BadSignature):
        nodes.check(body(), detached(header, signature_bytes))


def test_a_validly_signed_jws_with_zip_in_its_header_is_refused(nodes: TwoNodes) -> None:
    key = nodes.a_keys.current
    token = jws.sign(
        body(), ECKey(key.private_key, "ES256"), headers={"kid": key.kid, "zip": "DEF"}, algorithm="ES256"
    )
    # The signature itself is valid: python-jose alone would accept it.
    assert jws.verify(token, ECKey(key.private_key.public_key(), "ES256"), algorithms=["ES256"]) == body()
    header_part, _payload, signature_part = token.split(".")
    with pytest.raises(BadSignature, match="zip"):
        nodes.check(body(), f"{header_part}..{signature_part}")


@pytest.mark.parametrize(
    "extra",
    [
        {"crit": ["exp"]},
        {"jku": "http://127.0.0.1:9/jwks"},
        {"x5u": "http://127.0.0.1:9/cert"},
        {"b64": False},
    ],
    ids=["crit", "jku", "x5u", "b64"],
)
def test_header_members_that_change_verification_are_refused(
    nodes: TwoNodes, extra: dict[str, object]
) -> None:
    key = nodes.a_keys.current
    token = jws.sign(
        body(), ECKey(key.private_key, "ES256"), headers={"kid": key.kid, **extra}, algorithm="ES256"
    )
    header_part, _payload, signature_part = token.split(".")
    with pytest.raises(BadSignature, match=next(iter(extra))):
        nodes.check(body(), f"{header_part}..{signature_part}")


def test_an_embedded_jwk_cannot_supply_its_own_key(nodes: TwoNodes) -> None:
    attacker = NodeKey.generate()
    jwk = attacker.public().to_jwk()
    token = jws.sign(
        body(),
        ECKey(attacker.private_key, "ES256"),
        headers={"kid": attacker.kid, "jwk": jwk},
        algorithm="ES256",
    )
    header_part, _payload, signature_part = token.split(".")
    with pytest.raises(BadSignature, match="jwk"):
        nodes.check(body(), f"{header_part}..{signature_part}")


def test_an_attached_jws_is_refused_so_the_signed_bytes_are_always_the_body(nodes: TwoNodes) -> None:
    key = nodes.a_keys.current
    header_part, signature_part = sign_message(body(), key).split("..")
    with pytest.raises(BadSignature, match="分离式"):
        nodes.check(body(), f"{header_part}.{b64url(body())}.{signature_part}")


@pytest.mark.parametrize(
    "signature",
    ["onlyonepart", "a.b", "!!!..sig", f"{b64url(b'[1, 2]')}..c2ln", f"{b64url(b'not json')}..c2ln"],
    ids=["one-part", "two-parts", "bad-base64", "header-not-object", "header-not-json"],
)
def test_a_malformed_signature_is_refused(nodes: TwoNodes, signature: str) -> None:
    with pytest.raises(BadSignature):
        nodes.check(body(), signature)


def test_a_foreign_token_type_is_refused(nodes: TwoNodes) -> None:
    key = nodes.a_keys.current
    token = jws.sign(body(), ECKey(key.private_key, "ES256"), headers={"kid": key.kid}, algorithm="ES256")
    header_part, _payload, signature_part = token.split(".")  # python-jose's default typ is "JWT"
    with pytest.raises(BadSignature, match="类型"):
        nodes.check(body(), f"{header_part}..{signature_part}")


def test_a_node_key_survives_a_pem_round_trip_with_its_thumbprint_kid() -> None:
    key = NodeKey.generate()
    assert key.kid == thumbprint(key.private_key.public_key())
    assert len(key.kid) == 43  # base64url of a SHA-256 digest
    restored = NodeKey.from_pem(key.to_pem())
    assert restored.kid == key.kid
    verify_message(b"payload", sign_message(b"payload", restored), key.public())


def test_a_private_key_of_another_curve_or_family_is_refused() -> None:
    p384 = ec.generate_private_key(ec.SECP384R1())
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for other in (p384, rsa_key):
        pem = other.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        with pytest.raises(InvalidKey):
            NodeKey.from_pem(pem)
    with pytest.raises(InvalidKey):
        NodeKey.from_pem(b"-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")


def test_a_jwk_round_trips_and_carries_kid_alg_and_use() -> None:
    key = NodeKey.generate().public()
    jwk = key.to_jwk()
    assert {jwk["kid"], jwk["alg"], jwk["use"], jwk["kty"], jwk["crv"]} == {
        key.kid,
        "ES256",
        "sig",
        "EC",
        "P-256",
    }
    restored = PublicNodeKey.from_jwk(jwk)
    assert restored.kid == key.kid and thumbprint(restored.public_key) == thumbprint(key.public_key)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"d": "AAAA"}, "私钥"),
        ({"kty": "oct"}, "P-256"),
        ({"crv": "P-384"}, "P-256"),
        ({"alg": "HS256"}, "ES256"),
        ({"use": "enc"}, "ES256"),
        ({"kid": ""}, "kid"),
        ({"x": b64url(b"\x01" * 32)}, "坐标"),  # not a point on the curve
        ({"y": "short"}, "坐标"),
    ],
    ids=[
        "private-member",
        "wrong-type",
        "wrong-curve",
        "wrong-alg",
        "wrong-use",
        "no-kid",
        "off-curve",
        "short",
    ],
)
def test_a_jwk_that_is_not_a_public_p256_signing_key_is_refused(change: dict[str, str], message: str) -> None:
    jwk = {**NodeKey.generate().public().to_jwk(), **change}
    with pytest.raises(InvalidKey, match=message):
        PublicNodeKey.from_jwk(jwk)
