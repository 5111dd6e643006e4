"""The envelope as data and as XML: round trips, determinism, and refusal of data the schema forbids."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from lxml import etree

from docflow.exchange.envelope import (
    CHUNK_BYTES,
    Attachment,
    DocumentElements,
    Envelope,
    build_envelope,
    parse_envelope,
)
from docflow.exchange.errors import MessageBuildError, SchemaViolation
from docflow.exchange.message_header import InReplyTo
from docflow.exchange.namespaces import EXCHANGE_NS

EnvelopeFactory = Callable[..., Envelope]


def test_a_full_envelope_survives_a_round_trip_unchanged(envelope_factory: EnvelopeFactory) -> None:
    envelope = envelope_factory()
    assert parse_envelope(build_envelope(envelope)) == envelope


def test_a_minimal_envelope_without_optional_elements_round_trips(envelope_factory: EnvelopeFactory) -> None:
    minimal = replace(
        envelope_factory(),
        document=DocumentElements(
            identifier="XS-MIN-1",
            doc_type="纪要",
            title="县长办公会议纪要",
            issuers=("象山县人民政府",),
            written_on=date(2026, 1, 5),
            publication_level="不公开",
        ),
        attachments=(),
        seal=None,
    )
    parsed = parse_envelope(build_envelope(minimal))
    assert parsed == minimal
    assert parsed.seal is None and parsed.document.doc_number is None


def test_classified_elements_round_trip_with_their_period(envelope_factory: EnvelopeFactory) -> None:
    base = envelope_factory()
    classified = replace(
        base,
        document=replace(base.document, copy_number="000017", classification="机密", secrecy_period="5年"),
    )
    assert parse_envelope(build_envelope(classified)).document == classified.document


def test_the_same_envelope_always_gives_the_same_bytes(envelope_factory: EnvelopeFactory) -> None:
    first = build_envelope(envelope_factory())
    assert build_envelope(envelope_factory()) == first
    assert build_envelope(parse_envelope(first)) == first


def test_the_bytes_are_utf8_xml_in_the_exchange_namespace(envelope_factory: EnvelopeFactory) -> None:
    data = build_envelope(envelope_factory())
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    root = etree.fromstring(data)
    assert root.tag == f"{{{EXCHANGE_NS}}}envelope" and root.get("version") == "1.0"
    assert "象政办发〔2026〕70号".encode() in data


def test_a_sending_time_in_another_zone_travels_as_the_same_utc_instant(
    envelope_factory: EnvelopeFactory,
) -> None:
    beijing = timezone(timedelta(hours=8))
    envelope = envelope_factory(sent_at=datetime(2026, 11, 25, 17, 30, 0, 123456, tzinfo=beijing))
    data = build_envelope(envelope)
    assert b"<sentAt>2026-11-25T09:30:00.123456Z</sentAt>" in data
    assert parse_envelope(data).header.sent_at == datetime(2026, 11, 25, 9, 30, 0, 123456, tzinfo=UTC)


def test_a_reply_carries_the_original_process_and_message(envelope_factory: EnvelopeFactory) -> None:
    original = uuid.uuid4()
    reply = envelope_factory(in_reply_to=InReplyTo(uuid.UUID(int=7), original))
    assert parse_envelope(build_envelope(reply)).header.in_reply_to == InReplyTo(uuid.UUID(int=7), original)


def test_a_large_attachment_is_split_into_chunks_and_reassembled(envelope_factory: EnvelopeFactory) -> None:
    content = bytes(range(256)) * (CHUNK_BYTES // 256 * 2 + 3)  # a little over two chunks
    envelope = replace(envelope_factory(), attachments=(Attachment.of("扫描件.tif", "image/tiff", content),))
    data = build_envelope(envelope)
    assert data.count(f"{{{EXCHANGE_NS}}}数据".split("}")[1].encode()) >= 3 * 2  # 3 chunks, open+close tags
    parsed = parse_envelope(data)
    assert parsed.attachments[0].content == content
    assert parsed.attachments[0].mismatch() is None


def test_an_empty_attachment_round_trips(envelope_factory: EnvelopeFactory) -> None:
    envelope = replace(envelope_factory(), attachments=(Attachment.of("空.txt", "text/plain", b""),))
    assert parse_envelope(build_envelope(envelope)).attachments[0].content == b""


def test_attachment_digests_are_sha256_and_sm3_of_the_content() -> None:
    attachment = Attachment.of("a.txt", "text/plain", b"abc")
    assert attachment.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    # SM3("abc") from GB/T 32905-2016, appendix A.1.
    assert attachment.sm3 == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_building_refuses_a_document_type_that_is_not_one_of_the_fifteen(
    envelope_factory: EnvelopeFactory,
) -> None:
    base = envelope_factory()
    bad = replace(base, document=replace(base.document, doc_type="便条"))
    with pytest.raises(MessageBuildError, match="文种"):
        build_envelope(bad)


def test_building_refuses_a_malformed_unit_code(envelope_factory: EnvelopeFactory) -> None:
    with pytest.raises(MessageBuildError):
        build_envelope(envelope_factory(recipient_unit="县 教育局"))


def test_a_sending_time_without_a_zone_is_refused_at_construction(envelope_factory: EnvelopeFactory) -> None:
    with pytest.raises(MessageBuildError, match="时区"):
        envelope_factory(sent_at=datetime(2026, 11, 25, 9, 30))


def test_parsing_a_receipt_as_an_envelope_is_a_schema_violation(envelope_factory: EnvelopeFactory) -> None:
    data = (
        build_envelope(envelope_factory())
        .replace(b"<envelope ", b"<receipt ")
        .replace(b"</envelope>", b"</receipt>")
    )
    with pytest.raises(SchemaViolation):
        parse_envelope(data)


def test_building_refuses_an_attachment_name_with_a_directory_part(envelope_factory: EnvelopeFactory) -> None:
    envelope = envelope_factory()
    with pytest.raises(MessageBuildError):
        build_envelope(replace(envelope, attachments=(Attachment.of("../x.pdf", "application/pdf", b"x"),)))
