"""check_incoming: a good message is verified; every bad one gets its own typed refusal, in the set order."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

import pytest

from docflow.exchange.envelope import Attachment, build_envelope
from docflow.exchange.errors import (
    REFUSALS,
    AttachmentDigestMismatch,
    BadSignature,
    ExchangeRefusal,
    ForbiddenDtd,
    MalformedXml,
    MissingSignature,
    RecipientNotHostedHere,
    SchemaViolation,
    SenderNotHostedBySigner,
    TooLarge,
    UnknownKey,
    UnsupportedVersion,
)
from docflow.exchange.message_header import MessageKind
from docflow.exchange.receive import UnknownLocalNode
from docflow.exchange.signing import NodeKey

from .conftest import SECOND_UNIT_ON_A, UNIT_ON_A, UNIT_ON_B, TwoNodes, make_envelope

XXE_PROLOG = b'<!DOCTYPE envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
BILLION_LAUGHS = (
    b'<!DOCTYPE envelope [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]>"
)


def with_prolog(body: bytes, prolog: bytes) -> bytes:
    declaration, rest = body.split(b"?>", 1)
    return declaration + b"?>" + prolog + rest


def good_body() -> bytes:
    return build_envelope(make_envelope())


def test_a_good_message_is_verified_with_what_the_caller_needs_to_deduplicate(nodes: TwoNodes) -> None:
    envelope = make_envelope()
    verified = nodes.send(envelope)
    assert verified.message == envelope
    assert verified.sender_node_id == "node-a"
    assert verified.kid == nodes.a_keys.current.kid
    assert verified.kind is MessageKind.DOCUMENT
    assert verified.dedup_key == ("node-a", envelope.header.message_id)
    assert verified.process_id == envelope.header.process_id
    assert verified.body == build_envelope(envelope)


def test_a_message_to_a_second_unit_of_a_node_is_accepted_there(nodes: TwoNodes) -> None:
    body = build_envelope(make_envelope(sender_unit=UNIT_ON_B, recipient_unit=SECOND_UNIT_ON_A))
    verified = nodes.check(*nodes.signed(body, nodes.b_keys.current), local_node_id="node-a")
    assert verified.sender_node_id == "node-b"


@pytest.mark.parametrize("version", [None, "", "0.9", "2.0", "1.0 "])
def test_an_unsupported_protocol_version_is_refused(nodes: TwoNodes, version: str | None) -> None:
    with pytest.raises(UnsupportedVersion):
        nodes.check(*nodes.signed(good_body()), version=version)


def test_a_body_over_the_size_limit_is_refused(nodes: TwoNodes) -> None:
    body, signature = nodes.signed(good_body())
    with pytest.raises(TooLarge, match=str(len(body))):
        nodes.check(body, signature, max_bytes=len(body) - 1)
    assert nodes.check(body, signature, max_bytes=len(body)).message_id is not None


@pytest.mark.parametrize(
    "body",
    [b"", b"not xml at all", good_body()[:-15], good_body().replace(b"</header>", b"</headr>", 1)],
    ids=["empty", "text", "truncated", "mismatched-tag"],
)
def test_malformed_xml_is_refused(nodes: TwoNodes, body: bytes) -> None:
    with pytest.raises(MalformedXml):
        nodes.check(*nodes.signed(body))


def test_a_document_in_another_encoding_is_refused(nodes: TwoNodes) -> None:
    utf16 = good_body().decode("utf-8").replace("encoding='UTF-8'", "encoding='UTF-16'").encode("utf-16")
    with pytest.raises(MalformedXml, match="UTF-8"):
        nodes.check(*nodes.signed(utf16))


@pytest.mark.parametrize(
    "prolog",
    [
        b"<!DOCTYPE envelope>",
        b"<!DOCTYPE envelope [<!ELEMENT envelope ANY>]>",
        b'<!DOCTYPE envelope SYSTEM "http://127.0.0.1:9/evil.dtd">',
        b"<!-- a comment first --><!doctype envelope>",
        XXE_PROLOG,
        BILLION_LAUGHS,
        b"<!-- <a>looks like an element</a> -->" + BILLION_LAUGHS,
    ],
    ids=["bare", "internal-subset", "external-dtd", "after-comment", "xxe", "billion-laughs", "hidden-bomb"],
)
def test_any_dtd_is_refused_before_it_is_processed(nodes: TwoNodes, prolog: bytes) -> None:
    body = with_prolog(good_body(), prolog)
    with pytest.raises(ForbiddenDtd):
        nodes.check(*nodes.signed(body))


def test_an_external_entity_never_pulls_in_a_local_file(nodes: TwoNodes) -> None:
    body = with_prolog(good_body(), XXE_PROLOG).replace("冬季防火".encode(), b"&xxe;", 1)
    with pytest.raises(ForbiddenDtd) as refused:
        nodes.check(*nodes.signed(body))
    assert "root:" not in str(refused.value)


def test_an_entity_bomb_is_refused_quickly_and_without_expansion(nodes: TwoNodes) -> None:
    body = with_prolog(good_body(), BILLION_LAUGHS).replace("冬季防火".encode(), b"&lol9;", 1)
    with pytest.raises(ForbiddenDtd):
        nodes.check(*nodes.signed(body))


def test_the_parser_itself_refuses_a_doctype_the_prolog_scan_might_miss(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from docflow.exchange import hardened_xml

    # Defence in depth: with the prolog walk switched off, the parsed tree's DTD is still refused.
    monkeypatch.setattr(hardened_xml, "refuse_dtd", lambda data: None)
    body = with_prolog(good_body(), XXE_PROLOG).replace("冬季防火".encode(), b"&xxe;", 1)
    with pytest.raises(ForbiddenDtd):
        hardened_xml.parse_untrusted(body)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("<文种>通知</文种>".encode(), "<文种>便条</文种>".encode()),
        (b"<kind>document</kind>", b"<kind>telegram</kind>"),
        (b"version='1.0'", b"version='1.0'"),  # placeholder replaced below: root version attribute
        (b"<sentAt>2026-11-25T09:30:00Z</sentAt>", b"<sentAt>2026-11-25T09:30:00</sentAt>"),
        ("<标题>".encode(), "<未知元素>x</未知元素><标题>".encode()),
    ],
    ids=["document-type", "kind", "version-attribute", "time-without-zone", "unknown-element"],
)
def test_a_schema_violation_is_refused(nodes: TwoNodes, old: bytes, new: bytes) -> None:
    body = good_body()
    if old == new:
        body = body.replace(b'version="1.0"><header>', b'version="9.9"><header>', 1)
        assert b'version="9.9"' in body
    else:
        assert old in body
        body = body.replace(old, new, 1)
    with pytest.raises(SchemaViolation):
        nodes.check(*nodes.signed(body))


def test_an_envelope_whose_header_says_receipt_is_a_schema_violation(nodes: TwoNodes) -> None:
    body = good_body().replace(b"<kind>document</kind>", b"<kind>receipt</kind>")
    with pytest.raises(SchemaViolation, match="kind"):
        nodes.check(*nodes.signed(body))


@pytest.mark.parametrize("signature", [None, "", "   "])
def test_a_missing_signature_is_refused(nodes: TwoNodes, signature: str | None) -> None:
    with pytest.raises(MissingSignature):
        nodes.check(good_body(), signature)


def test_a_key_id_no_node_publishes_is_refused(nodes: TwoNodes) -> None:
    with pytest.raises(UnknownKey):
        nodes.check(*nodes.signed(good_body(), NodeKey.generate()))


def test_a_signature_by_another_key_under_the_senders_kid_is_refused(nodes: TwoNodes) -> None:
    impostor = NodeKey(nodes.a_keys.current.kid, NodeKey.generate().private_key)
    with pytest.raises(BadSignature):
        nodes.check(*nodes.signed(good_body(), impostor))


def test_a_body_changed_after_signing_is_refused(nodes: TwoNodes) -> None:
    body, signature = nodes.signed(good_body())
    changed = body.replace("加急".encode(), "特急".encode())
    with pytest.raises(BadSignature):
        nodes.check(changed, signature)


def test_one_attachment_byte_changed_in_transit_is_refused(nodes: TwoNodes) -> None:
    body, signature = nodes.signed(good_body())
    data = re.search(rb"<\xe6\x95\xb0\xe6\x8d\xae>([A-Za-z0-9+/=]+)<", body)  # <数据>…
    assert data is not None
    start = data.start(1) + 8  # inside the base64 text: still valid base64, so the schema passes
    flipped = b"A" if body[start : start + 1] != b"A" else b"B"
    tampered = body[:start] + flipped + body[start + 1 :]
    with pytest.raises(BadSignature):
        nodes.check(tampered, signature)


def test_an_attachment_whose_digest_the_sender_got_wrong_is_refused(nodes: TwoNodes) -> None:
    envelope = make_envelope()
    honest = envelope.attachments[0]
    altered = replace(honest, content=honest.content[:-1] + b"!")
    body = build_envelope(replace(envelope, attachments=(altered,)))
    with pytest.raises(AttachmentDigestMismatch, match="SHA-256"):
        nodes.check(*nodes.signed(body))


def test_an_attachment_with_a_wrong_declared_size_is_refused(nodes: TwoNodes) -> None:
    envelope = make_envelope()
    wrong_size = replace(envelope.attachments[0], size=envelope.attachments[0].size + 1)
    body = build_envelope(replace(envelope, attachments=(wrong_size, Attachment.of("b", "text/plain", b"b"))))
    with pytest.raises(AttachmentDigestMismatch, match="字节"):
        nodes.check(*nodes.signed(body))


def test_a_node_signing_for_a_unit_it_does_not_host_is_refused(nodes: TwoNodes) -> None:
    # Node B signs a message claiming to come from a unit hosted by node A.
    body = build_envelope(make_envelope(sender_unit=SECOND_UNIT_ON_A, recipient_unit=UNIT_ON_B))
    with pytest.raises(SenderNotHostedBySigner, match="node-b"):
        nodes.check(*nodes.signed(body, nodes.b_keys.current))


def test_a_message_for_a_unit_not_hosted_here_is_refused(nodes: TwoNodes) -> None:
    body = build_envelope(make_envelope(recipient_unit=SECOND_UNIT_ON_A))
    with pytest.raises(RecipientNotHostedHere, match=SECOND_UNIT_ON_A):
        nodes.check(*nodes.signed(body))


def test_a_local_node_missing_from_the_directory_is_a_configuration_error(nodes: TwoNodes) -> None:
    with pytest.raises(UnknownLocalNode):
        nodes.check(*nodes.signed(good_body()), local_node_id="node-z")


# The order of checks: each case carries the fault of one step AND faults of every later step it can;
# only the earliest may be reported.
def _all_later_faults(nodes: TwoNodes) -> tuple[bytes, str]:
    """Recipient not hosted, sender not hosted by signer, bad attachment digest; signed by node B."""
    envelope = make_envelope(sender_unit=UNIT_ON_A, recipient_unit=SECOND_UNIT_ON_A)
    bad = replace(envelope.attachments[0], content=b"tampered")
    return nodes.signed(build_envelope(replace(envelope, attachments=(bad,))), nodes.b_keys.current)


ORDER_CASES: dict[str, tuple[Callable[[TwoNodes], tuple[bytes, str | None, dict[str, object]]], str]] = {
    "version before size": (
        lambda n: (b"x" * 100, None, {"version": "2.0", "max_bytes": 10}),
        "unsupported-version",
    ),
    "size before well-formedness": (lambda n: (b"<" * 100, None, {"max_bytes": 10}), "too-large"),
    "well-formedness before signature": (lambda n: (b"<envelope", None, {}), "malformed-xml"),
    "dtd before schema": (
        lambda n: (
            with_prolog(good_body(), BILLION_LAUGHS).replace("<文种>通知".encode(), "<文种>便条".encode()),
            None,
            {},
        ),
        "forbidden-dtd",
    ),
    "schema before signature": (
        lambda n: (good_body().replace("<文种>通知".encode(), "<文种>便条".encode()), None, {}),
        "schema-violation",
    ),
    "missing signature before hosting": (lambda n: (_all_later_faults(n)[0], None, {}), "missing-signature"),
    "unknown key before hosting": (
        lambda n: (_all_later_faults(n)[0], n.signed(b"", NodeKey.generate())[1], {}),
        "unknown-key",
    ),
    "bad signature before hosting": (
        lambda n: (_all_later_faults(n)[0] + b" ", _all_later_faults(n)[1], {}),
        "bad-signature",
    ),
    "signer hosting before recipient": (lambda n: (*_all_later_faults(n), {}), "sender-not-hosted-by-signer"),
    "recipient before digests": (
        lambda n: (
            body := build_envelope(
                replace(
                    make_envelope(recipient_unit=SECOND_UNIT_ON_A),
                    attachments=(replace(make_envelope().attachments[0], content=b"x"),),
                )
            ),
            n.signed(body)[1],
            {},
        ),
        "recipient-not-hosted-here",
    ),
}


@pytest.mark.parametrize("case", list(ORDER_CASES), ids=list(ORDER_CASES))
def test_the_earliest_failing_check_is_the_one_reported(nodes: TwoNodes, case: str) -> None:
    make, expected_code = ORDER_CASES[case]
    body, signature, options = make(nodes)
    with pytest.raises(ExchangeRefusal) as refused:
        nodes.check(body, signature, **options)  # type: ignore[arg-type]
    assert refused.value.code == expected_code


def test_every_refusal_has_its_own_stable_code() -> None:
    codes = [refusal.code for refusal in REFUSALS]
    assert len(set(codes)) == len(codes) == 11
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", code) for code in codes)


def test_a_prolog_of_endless_comments_is_refused_without_scanning_it_all(nodes: TwoNodes) -> None:
    body = with_prolog(good_body(), b"<!-- padding -->" * 10_000)
    with pytest.raises(MalformedXml, match="注释"):
        nodes.check(*nodes.signed(body))


def test_a_byte_order_mark_cannot_smuggle_in_another_encoding(nodes: TwoNodes) -> None:
    body = b"\xef\xbb\xbf" + good_body().replace(b"encoding='UTF-8'", b"encoding='ISO-8859-1'")
    with pytest.raises(MalformedXml, match="UTF-8"):
        nodes.check(*nodes.signed(body))


@pytest.mark.parametrize("filename", ["../../etc/cron.d/evil", "a/b.pdf", "..", "C:\\\\x.pdf"])
def test_an_attachment_name_with_a_path_is_a_schema_violation(nodes: TwoNodes, filename: str) -> None:
    envelope = make_envelope()
    sane = build_envelope(envelope)
    body = sane.replace(
        f'文件名="{envelope.attachments[0].filename}"'.encode(), f'文件名="{filename}"'.encode()
    )
    assert body != sane
    with pytest.raises(SchemaViolation):
        nodes.check(*nodes.signed(body))
