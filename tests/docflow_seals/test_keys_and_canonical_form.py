"""The seal's pure parts and its key file: deterministic canonical bytes, the key created once under races,
and signatures that only verify as ES256 over exactly the signed bytes."""

from __future__ import annotations

import hashlib
import hmac
import json
import stat
import threading
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from jose import jws

from docflow.exchange.signing import b64url
from docflow.rules.body import Block
from docflow.rules.elements import DocType, Elements, PublicationLevel, Recipient
from docflow.seals.canonical import (
    AttachmentDigest,
    SealIdentity,
    SignoffRecord,
    canonical_document,
    changed_parts,
    to_bytes,
)
from docflow.seals.keys import BadSealSignature, SealKeyError, SealKeyring

AT = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
SEAL = SealIdentity("XSX", "象山县人民政府", "kid-1")
SIGNOFF = SignoffRecord(7, "张伟", 7, "同意", AT)
FILES = [AttachmentDigest("清单", "清单.pdf", 10, "a" * 64, "b" * 64)]


def elements(title: str = "关于做好防汛工作的通知", **extra: object) -> Elements:
    return Elements(doc_type=DocType.NOTICE, identifier="id-1", publication_level=PublicationLevel.NOT_PUBLIC,
                    title=title, issuer_mark="象山县人民政府文件", issuer_names=("象山县人民政府",),
                    main_recipients=(Recipient("DDJD", "丹东街道"),), copy_recipients=(),
                    body=(Block(0, "现将有关事项通知如下。"),), doc_number="象政发〔2026〕1号", **extra)  # type: ignore[arg-type]


def form(e: Elements, files: list[AttachmentDigest] = FILES, signoff: SignoffRecord | None = SIGNOFF) -> bytes:
    return to_bytes(canonical_document(e, files, signoff, SEAL, AT))


def test_the_canonical_bytes_are_sorted_compact_utf8_and_nfc():
    data = form(elements())
    text = data.decode("utf-8")
    assert ": " not in text and ", " not in text and "\\u" not in text
    parsed = json.loads(text)
    assert list(parsed) == sorted(parsed) and list(parsed["elements"]) == sorted(parsed["elements"])
    assert parsed["format"] == "xiangshan-oa/seal/1" and "seal" not in parsed["elements"]
    decomposed = unicodedata.normalize("NFD", "关于做好防汛工作的通知（é）")
    assert form(elements(decomposed)) == form(elements("关于做好防汛工作的通知（é）"))


@pytest.mark.parametrize(("changed", "label"), [
    (form(elements("另一个标题")), "标题"),
    (form(elements(), files=[AttachmentDigest("清单", "清单.pdf", 10, "a" * 64, "c" * 64)]), "附件"),
    (form(elements(), signoff=None), "签发记录"),
    (form(elements(signers=("张伟",))), "签发人"),
])
def test_any_change_changes_the_bytes_and_is_named(changed: bytes, label: str):
    original = form(elements())
    assert changed != original
    assert label in changed_parts(json.loads(original), json.loads(changed))


def test_the_key_is_created_once_even_when_many_threads_race_for_it(tmp_path: Path):
    ring = SealKeyring(tmp_path)
    kids: list[str] = []
    threads = [threading.Thread(target=lambda: kids.append(ring.load_or_create("XSX").kid)) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(kids)) == 1 and len(kids) == 16
    assert [p.name for p in (tmp_path / "seals").iterdir()] == ["XSX.pem"]  # no temporary file left behind
    assert stat.S_IMODE((tmp_path / "seals" / "XSX.pem").stat().st_mode) == 0o600
    assert ring.load("SPZ") is None  # checking never creates a key


def test_a_signature_verifies_only_over_the_same_bytes_with_es256(tmp_path: Path):
    key = SealKeyring(tmp_path).load_or_create("XSX")
    payload = form(elements())
    signature = key.sign(payload)
    key.verify(payload, signature)
    with pytest.raises(BadSealSignature, match="签名值"):
        key.verify(form(elements("另一个标题")), signature)
    other = SealKeyring(tmp_path / "other").load_or_create("XSX")
    with pytest.raises(BadSealSignature, match="不是本单位印章密钥"):
        key.verify(payload, other.sign(payload))


def test_forged_signatures_with_none_or_hmac_over_the_public_key_are_refused(tmp_path: Path):
    key = SealKeyring(tmp_path).load_or_create("XSX")
    payload = form(elements())
    public_pem = key.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    # jose itself refuses to make this forgery, so it is made by hand: HS256 keyed with the public key's PEM.
    header = b64url(json.dumps({"alg": "HS256", "kid": key.kid}).encode())
    mac = hmac.new(public_pem, f"{header}.{b64url(payload)}".encode(), hashlib.sha256).digest()
    with pytest.raises(BadSealSignature, match="只允许 ES256"):
        key.verify(payload, f"{header}..{b64url(mac)}")
    none_header = b64url(json.dumps({"alg": "none", "kid": key.kid}).encode())
    with pytest.raises(BadSealSignature, match="只允许 ES256"):
        key.verify(payload, f"{none_header}..")
    with pytest.raises(BadSealSignature, match="分离式"):
        key.verify(payload, jws.sign(payload, key.private_key, algorithm="ES256"))


def test_a_unit_code_that_is_not_a_plain_name_is_never_a_path(tmp_path: Path):
    with pytest.raises(SealKeyError):
        SealKeyring(tmp_path).load_or_create("../escape")
