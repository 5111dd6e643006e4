"""Node signatures verified with `cryptography` directly: the same verdicts as python-jose gives, for the exact
body bytes, whatever their size, and a signature value in any form but ES256's R || S is refused."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from jose import jws
from jose.backends import ECKey

from docflow.exchange.errors import BadSignature
from docflow.exchange.signing import ALGORITHM, NodeKey, b64url, sign_message, verify_message


@pytest.mark.parametrize("size", [0, 1, 2, 3, 9000, 3 * 1024 * 1024 + 1])
def test_a_signature_verifies_as_python_jose_verifies_it_whatever_the_body_size(size: int) -> None:
    key = NodeKey.generate()
    body = bytes(range(256)) * (size // 256) + bytes(range(size % 256))
    signature = sign_message(body, key)
    header, _empty, value = signature.split(".")
    assert jws.verify(f"{header}.{b64url(body)}.{value}", ECKey(key.public().public_key, ALGORITHM),
                      algorithms=[ALGORITHM]) == body
    verify_message(body, signature, key.public())
    with pytest.raises(BadSignature):
        verify_message(body + b" ", signature, key.public())
    with pytest.raises(BadSignature):
        verify_message(body, signature, NodeKey.generate().public())


def test_a_der_encoded_or_truncated_signature_value_is_refused() -> None:
    key = NodeKey.generate()
    body = b"<envelope/>"
    header = sign_message(body, key).split(".")[0]
    der = key.private_key.sign(f"{header}.{b64url(body)}".encode(), ec.ECDSA(hashes.SHA256()))
    for value in (b64url(der), b64url(b"\x01" * 63), "not base64!"):
        with pytest.raises(BadSignature):
            verify_message(body, f"{header}..{value}", key.public())
