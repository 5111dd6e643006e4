"""Forged, expired and otherwise invalid access tokens are refused, each for its own reason.

Forgeries are made by hand (base64 + HMAC / a foreign key), not with python-jose, so the test does not depend on
the library refusing to make them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jose import jwt
from jose.backends.cryptography_backend import CryptographyECKey

from oa.auth.tokens import ALGORITHM, TokenKeys, decode_access_token, issue_access_token
from oa.errors import Unauthenticated


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def forge_hs256(header: dict, claims: dict, secret: bytes) -> str:
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    signature = hmac.new(secret, signing_input.encode("ascii"), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


async def valid_claims(client, username: str) -> tuple[str, dict, dict]:
    pair = (await client.post("/api/auth/token", json={"username": username, "password": "demo12345"})).json()
    token = pair["access_token"]
    return token, jwt.get_unverified_header(token), jwt.get_unverified_claims(token)


async def refused(client, token: str) -> str:
    response = await client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return str(response.json()["detail"])


async def test_a_genuine_token_is_accepted(client):
    token, _, _ = await valid_claims(client, "xsx.drafter")
    response = await client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


async def test_alg_none_is_refused(client):
    _, header, claims = await valid_claims(client, "xsx.drafter")
    token = f"{b64(json.dumps({**header, 'alg': 'none'}).encode())}.{b64(json.dumps(claims).encode())}."
    assert "不是本系统签发" in await refused(client, token)


@pytest.mark.parametrize("encoding", ["pem", "der"])
async def test_hs256_signed_with_our_public_key_is_refused(client, server, encoding):
    keys: TokenKeys = server.app.state.services.keys
    _, header, claims = await valid_claims(client, "xsx.drafter")
    public = serialization.load_pem_public_key(keys.public_pem)
    secret = keys.public_pem if encoding == "pem" else public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    token = forge_hs256({**header, "alg": "HS256"}, {**claims, "sub": "1"}, secret)
    await refused(client, token)


def test_the_decoder_itself_refuses_hs256_with_a_der_public_key(tmp_path):
    """The python-jose 3.5 pitfall, at the decoder level: even with our kid in the header."""
    keys = TokenKeys.from_pem(ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    der = serialization.load_pem_public_key(keys.public_pem).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    now = int(datetime.now(UTC).timestamp())
    claims = {"iss": "i", "aud": "a", "sub": "1", "sid": "s", "typ": "access", "iat": now, "nbf": now,
              "exp": now + 60}
    token = forge_hs256({"alg": "HS256", "typ": "JWT", "kid": keys.kid}, claims, der)
    with pytest.raises(Unauthenticated):
        decode_access_token(keys, token, issuer="i", audience="a")
    # And the library call we make, with its explicit algorithm list, refuses it as well on its own:
    with pytest.raises(Exception, match="alg"):
        jwt.decode(token, keys.public, algorithms=[ALGORITHM], audience="a", issuer="i")


async def test_a_token_signed_by_another_es256_key_is_refused(client, server):
    keys: TokenKeys = server.app.state.services.keys
    _, _, claims = await valid_claims(client, "xsx.drafter")
    foreign = CryptographyECKey(ec.generate_private_key(ec.SECP256R1()), ALGORITHM)
    token = jwt.encode(claims, foreign, algorithm=ALGORITHM, headers={"kid": keys.kid})
    assert "签名无效" in await refused(client, token)


async def test_a_tampered_payload_is_refused(client):
    token, _, claims = await valid_claims(client, "xsx.drafter")
    head, _, sig = token.split(".")
    tampered = f"{head}.{b64(json.dumps({**claims, 'sub': '1'}).encode())}.{sig}"
    assert "签名无效" in await refused(client, tampered)


def _signed(server, **overrides) -> str:
    services = server.app.state.services
    settings = services.settings
    now = datetime.now(UTC)
    args = {"person_id": 1, "session_id": "x", "now": now, "lifetime": timedelta(minutes=5),
            "issuer": settings.jwt_issuer, "audience": settings.jwt_audience, **overrides}
    return issue_access_token(services.keys, **args)


async def test_an_expired_token_is_refused(client, server):
    token = _signed(server, now=datetime.now(UTC) - timedelta(hours=1))
    assert "过期" in await refused(client, token)


async def test_a_token_not_yet_valid_is_refused(client, server):
    token = _signed(server, now=datetime.now(UTC) + timedelta(minutes=10))
    assert "尚未生效" in await refused(client, token)


async def test_a_token_for_another_issuer_is_refused(client, server):
    assert "签发者" in await refused(client, _signed(server, issuer="someone-else"))


async def test_a_token_for_another_audience_is_refused(client, server):
    assert "受众" in await refused(client, _signed(server, audience="another-app"))


async def test_a_validly_signed_token_for_an_unknown_session_is_refused(client, server):
    assert "失效" in await refused(client, _signed(server, session_id="no-such-session"))


async def test_garbage_in_the_authorization_header_is_refused(client):
    for value in ["Bearer", "Basic abc", "Bearer not.a.jwt", "Bearer " + "A" * 5000]:
        response = await client.get("/api/me", headers={"Authorization": value})
        assert response.status_code == 401, value
