"""Properties over generated 公文: any valid envelope round-trips, and any changed byte is refused."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docflow.exchange.directory import Directory, Node
from docflow.exchange.envelope import (
    Attachment,
    BodyBlock,
    DocumentElements,
    Envelope,
    build_envelope,
    parse_envelope,
)
from docflow.exchange.errors import ExchangeRefusal
from docflow.exchange.message_header import MessageHeader, MessageKind
from docflow.exchange.receive import check_incoming
from docflow.exchange.signing import NodeKey, sign_message

from .conftest import UNIT_ON_A, UNIT_ON_B

SETTINGS = settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
A_KEY = NodeKey.generate()
DIRECTORY = Directory(
    (
        Node("node-a", "甲", "https://a.example", frozenset({UNIT_ON_A}), (A_KEY.public(),)),
        Node("node-b", "乙", "https://b.example", frozenset({UNIT_ON_B}), (NodeKey.generate().public(),)),
    )
)

# Text XML 1.0 can carry: no surrogates, no control characters other than tab, line feed, carriage return.
xml_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff", whitelist_characters="\t\n\r"
    ),
    min_size=1,
    max_size=40,
)
file_names = st.text(alphabet=st.sampled_from("abc公文附件-_ 123.()"), min_size=1, max_size=30).filter(
    lambda name: name.strip(".") != ""
)
optional_text = st.none() | xml_text
organs = st.lists(xml_text, max_size=3).map(tuple)
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1), timezones=st.just(UTC))

documents = st.builds(
    DocumentElements,
    identifier=xml_text,
    doc_type=st.sampled_from(["决定", "通知", "请示", "函", "纪要", "命令"]),
    title=xml_text,
    issuers=st.lists(xml_text, min_size=1, max_size=3).map(tuple),
    written_on=dates,
    publication_level=st.sampled_from(["公开", "不公开", "依申请公开"]),
    doc_number=optional_text,
    urgency=st.none() | st.sampled_from(["特急", "加急"]),
    signers=organs,
    main_recipients=organs,
    attachment_note=optional_text,
    note=optional_text,
    copy_to=organs,
    printed_by=optional_text,
    printed_on=st.none() | dates,
)
attachments = st.builds(
    Attachment.of,
    filename=file_names,
    media_type=st.sampled_from(["application/pdf", "image/png", "application/ofd", "text/plain"]),
    content=st.binary(max_size=3000),
)
envelopes = st.builds(
    Envelope,
    header=st.builds(
        MessageHeader,
        message_id=st.uuids(),
        process_id=st.uuids(),
        kind=st.just(MessageKind.DOCUMENT),
        sender_unit=st.just(UNIT_ON_A),
        recipient_unit=st.just(UNIT_ON_B),
        sent_at=moments,
    ),
    document=documents,
    body=st.lists(st.builds(BodyBlock, level=st.integers(0, 4), text=xml_text), min_size=1, max_size=5).map(
        tuple
    ),
    attachments=st.lists(attachments, max_size=3).map(tuple),
)


def check(body: bytes, signature: str) -> None:
    check_incoming(
        version="1.0",
        body=body,
        signature=signature,
        directory=DIRECTORY,
        local_node_id="node-b",
        max_bytes=1_000_000,
    )


@SETTINGS
@given(envelopes)
def test_every_valid_envelope_round_trips_and_passes_the_receive_checks(envelope: Envelope) -> None:
    data = build_envelope(envelope)
    assert parse_envelope(data) == envelope
    assert build_envelope(parse_envelope(data)) == data
    check(data, sign_message(data, A_KEY))


@SETTINGS
@given(envelopes, st.data())
def test_any_changed_byte_of_a_signed_message_is_refused_with_a_typed_error(
    envelope: Envelope, data: st.DataObject
) -> None:
    body = build_envelope(envelope)
    signature = sign_message(body, A_KEY)
    position = data.draw(st.integers(0, len(body) - 1), label="position")
    value = data.draw(st.integers(0, 255).filter(lambda byte: byte != body[position]), label="value")
    changed = body[:position] + bytes([value]) + body[position + 1 :]
    try:
        check(changed, signature)
    except ExchangeRefusal:
        return
    raise AssertionError(f"a message changed at byte {position} was accepted")

