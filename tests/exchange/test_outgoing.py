"""The outbox side: prepare once, resend the same bytes, and accept only the 送达 receipt for that message."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from docflow.exchange.errors import MessageBuildError
from docflow.exchange.namespaces import PROTOCOL_VERSION
from docflow.exchange.outgoing import (
    DeliveryNotConfirmed,
    NoRouteToUnit,
    OutgoingMessage,
    confirm_delivery,
    prepare_outgoing,
)
from docflow.exchange.receipts import ReceiptType, build_receipt, receipt_for
from docflow.exchange.receive import SIGNATURE_HEADER, VERSION_HEADER, VerifiedMessage

from .conftest import TwoNodes, make_envelope

NOW = datetime(2026, 11, 25, 9, 31, tzinfo=UTC)


def deliver(nodes: TwoNodes, sent: OutgoingMessage) -> VerifiedMessage:
    """What node B's endpoint does with the POST: check it as received through the HTTP headers."""
    headers = sent.http_headers()
    return nodes.check(sent.body, headers[SIGNATURE_HEADER], version=headers[VERSION_HEADER])


def answer(nodes: TwoNodes, received: VerifiedMessage, receipt_type: ReceiptType) -> VerifiedMessage:
    """Node B's signed receipt, checked back at node A."""
    reasons = ("格式不符",) if receipt_type is ReceiptType.RETURNED else ()
    receipt = receipt_for(
        received.header, receipt_type, message_id=uuid.uuid4(), sent_at=NOW, reasons=reasons
    )
    body = build_receipt(receipt)
    return nodes.check(body, nodes.b_keys.sign(body), local_node_id="node-a")


def test_a_document_is_routed_to_the_node_hosting_its_recipient(nodes: TwoNodes) -> None:
    sent = prepare_outgoing(make_envelope(), keyring=nodes.a_keys, directory=nodes.directory)
    assert sent.target_node_id == "node-b"
    assert sent.url == "http://127.0.0.1:8002/exchange/v1/messages"
    assert sent.http_headers()[VERSION_HEADER] == PROTOCOL_VERSION
    assert sent.message_id == make_envelope().header.message_id


def test_a_full_delivery_is_confirmed_by_the_receivers_signed_receipt(nodes: TwoNodes) -> None:
    sent = prepare_outgoing(make_envelope(), keyring=nodes.a_keys, directory=nodes.directory)
    received = deliver(nodes, sent)
    receipt = confirm_delivery(sent, answer(nodes, received, ReceiptType.DELIVERED))
    assert receipt.original_message_id == sent.message_id


def test_a_business_receipt_is_not_a_delivery_confirmation(nodes: TwoNodes) -> None:
    sent = prepare_outgoing(make_envelope(), keyring=nodes.a_keys, directory=nodes.directory)
    with pytest.raises(DeliveryNotConfirmed, match="送达"):
        confirm_delivery(sent, answer(nodes, deliver(nodes, sent), ReceiptType.SIGNED_FOR))


def test_a_receipt_for_another_message_does_not_confirm_this_one(nodes: TwoNodes) -> None:
    sent = prepare_outgoing(make_envelope(), keyring=nodes.a_keys, directory=nodes.directory)
    other = prepare_outgoing(
        make_envelope(message_id=uuid.uuid4()), keyring=nodes.a_keys, directory=nodes.directory
    )
    with pytest.raises(DeliveryNotConfirmed, match="不是这条消息"):
        confirm_delivery(sent, answer(nodes, deliver(nodes, other), ReceiptType.DELIVERED))


def test_a_retry_sends_exactly_the_stored_bytes_which_verify_again(nodes: TwoNodes) -> None:
    sent = prepare_outgoing(make_envelope(), keyring=nodes.a_keys, directory=nodes.directory)
    first, again = deliver(nodes, sent), deliver(nodes, sent)
    assert first.dedup_key == again.dedup_key  # the receiver's unique constraint turns this into a replay


def test_a_message_to_a_unit_no_node_hosts_has_no_route(nodes: TwoNodes) -> None:
    with pytest.raises(NoRouteToUnit, match="NOWHERE1"):
        prepare_outgoing(
            make_envelope(recipient_unit="NOWHERE1"), keyring=nodes.a_keys, directory=nodes.directory
        )


def test_invalid_document_data_is_refused_before_anything_is_signed(nodes: TwoNodes) -> None:
    with pytest.raises(MessageBuildError):
        prepare_outgoing(
            make_envelope(sender_unit="不合法 的代码"), keyring=nodes.a_keys, directory=nodes.directory
        )
