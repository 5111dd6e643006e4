"""Receipts: built from the message they answer, signed and checked like any message, 退文 with reasons."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from docflow.exchange.envelope import build_envelope
from docflow.exchange.errors import (
    MessageBuildError,
    RecipientNotHostedHere,
    SchemaViolation,
    SenderNotHostedBySigner,
)
from docflow.exchange.message_header import InReplyTo, MessageKind
from docflow.exchange.receipts import (
    Receipt,
    ReceiptType,
    build_receipt,
    parse_receipt,
    receipt_for,
)

from .conftest import UNIT_ON_A, UNIT_ON_B, TwoNodes, make_envelope

RECEIPT_ID = uuid.UUID("3d0c6a55-1111-4c4c-9a9a-123456789abc")
NOW = datetime(2026, 11, 25, 9, 31, 5, tzinfo=UTC)


def delivered() -> Receipt:
    return receipt_for(make_envelope().header, ReceiptType.DELIVERED, message_id=RECEIPT_ID, sent_at=NOW)


def test_a_receipt_goes_back_to_the_sender_in_the_same_process() -> None:
    original = make_envelope().header
    receipt = delivered()
    assert receipt.header.kind is MessageKind.RECEIPT
    assert (receipt.header.sender_unit, receipt.header.recipient_unit) == (UNIT_ON_B, UNIT_ON_A)
    assert receipt.header.process_id == original.process_id
    assert receipt.header.in_reply_to == InReplyTo(original.process_id, original.message_id)
    assert receipt.original_message_id == original.message_id
    assert receipt.at == NOW


@pytest.mark.parametrize("receipt_type", list(ReceiptType))
def test_every_kind_of_receipt_round_trips_through_xml(receipt_type: ReceiptType) -> None:
    receipt = receipt_for(
        make_envelope().header,
        receipt_type,
        message_id=RECEIPT_ID,
        sent_at=NOW,
        at=datetime(2026, 11, 25, 10, 0, tzinfo=UTC),
        handled_by="张登记员",
        reasons=("文种使用不当，应为请示", "缺少附件") if receipt_type is ReceiptType.RETURNED else (),
        note="请按要求修改后重新报送" if receipt_type is ReceiptType.RETURNED else None,
    )
    data = build_receipt(receipt)
    assert f'类型="{receipt_type.value}"'.encode() in data
    assert parse_receipt(data) == receipt
    assert build_receipt(parse_receipt(data)) == data


def test_a_return_without_a_reason_is_refused() -> None:
    with pytest.raises(MessageBuildError, match="理由"):
        receipt_for(
            make_envelope().header, ReceiptType.RETURNED, message_id=RECEIPT_ID, sent_at=NOW, reasons=(" ",)
        )


def test_a_receipt_is_never_itself_receipted() -> None:
    with pytest.raises(MessageBuildError, match="回执"):
        receipt_for(delivered().header, ReceiptType.DELIVERED, message_id=uuid.uuid4(), sent_at=NOW)


def test_a_signed_receipt_passes_the_receive_checks_at_the_original_sender(nodes: TwoNodes) -> None:
    envelope_delivered = nodes.send(make_envelope())  # node B verified A's document
    receipt = receipt_for(
        envelope_delivered.header, ReceiptType.DELIVERED, message_id=RECEIPT_ID, sent_at=NOW
    )
    body = build_receipt(receipt)
    verified = nodes.check(body, nodes.b_keys.sign(body), local_node_id="node-a")
    assert verified.kind is MessageKind.RECEIPT
    assert verified.message == receipt
    assert verified.dedup_key == ("node-b", RECEIPT_ID)


def test_a_receipt_for_a_unit_not_hosted_here_is_refused(nodes: TwoNodes) -> None:
    body = build_receipt(delivered())
    with pytest.raises(RecipientNotHostedHere):
        nodes.check(body, nodes.b_keys.sign(body), local_node_id="node-b")


def test_a_receipt_signed_by_a_node_not_hosting_its_sender_is_refused(nodes: TwoNodes) -> None:
    body = build_receipt(delivered())  # from a unit on B
    with pytest.raises(SenderNotHostedBySigner):
        nodes.check(body, nodes.a_keys.sign(body), local_node_id="node-a")


def test_a_receipt_without_the_original_message_id_is_a_schema_violation(nodes: TwoNodes) -> None:
    data = build_receipt(delivered())
    original = str(make_envelope().header.message_id).encode()
    stripped = data.replace(b"<messageId>" + original + b"</messageId></inReplyTo>", b"</inReplyTo>")
    assert stripped != data
    with pytest.raises(SchemaViolation, match="messageId"):
        nodes.check(stripped, nodes.b_keys.sign(stripped), local_node_id="node-a")


def test_a_return_receipt_without_reasons_on_the_wire_is_a_schema_violation(nodes: TwoNodes) -> None:
    returned = receipt_for(
        make_envelope().header,
        ReceiptType.RETURNED,
        message_id=RECEIPT_ID,
        sent_at=NOW,
        reasons=("格式不符",),
    )
    data = build_receipt(returned).replace("<理由>格式不符</理由>".encode(), b"")
    with pytest.raises(SchemaViolation, match="理由"):
        nodes.check(data, nodes.b_keys.sign(data), local_node_id="node-a")


def test_parsing_an_envelope_as_a_receipt_is_a_schema_violation() -> None:
    with pytest.raises(SchemaViolation):
        parse_receipt(build_envelope(make_envelope()))
