"""What the outbox stores and sends: a message built, signed and routed once, then resent byte for byte.

At dispatch (in the same transaction as the 发文 分发), the use case calls `prepare_outgoing` and stores the
result; the worker POSTs `body` with `http_headers()` to `url` until it gets a delivery receipt, waiting
`retry.next_attempt_at` between attempts. Resending the stored bytes (never rebuilding them) keeps the message
id and the signature identical, so the receiver's deduplication recognises a retry. The answer to a POST is
the receiver's signed 送达 receipt: run it through `receive.check_incoming` and then `confirm_delivery`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from docflow.exchange.directory import Directory
from docflow.exchange.envelope import Envelope, build_envelope
from docflow.exchange.namespaces import PROTOCOL_VERSION
from docflow.exchange.receipts import Receipt, ReceiptType, build_receipt
from docflow.exchange.receive import SIGNATURE_HEADER, VERSION_HEADER, VerifiedMessage
from docflow.exchange.signing import NodeKeyring

INBOX_PATH = "/exchange/v1/messages"
"""Path of the receiving endpoint, appended to a node's base URL (one place for both sides to agree on)."""

CONTENT_TYPE = "application/xml; charset=utf-8"


class NoRouteToUnit(LookupError):
    """No node in the directory hosts the recipient unit: the administrator must update the directory."""


class DeliveryNotConfirmed(ValueError):
    """The answer to a delivery is a valid receipt, but not the 送达 receipt for the message sent."""


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    message_id: uuid.UUID
    process_id: uuid.UUID
    target_node_id: str
    url: str
    body: bytes
    signature: str

    def http_headers(self) -> dict[str, str]:
        return {
            "Content-Type": CONTENT_TYPE,
            VERSION_HEADER: PROTOCOL_VERSION,
            SIGNATURE_HEADER: self.signature,
        }


def prepare_outgoing(
    message: Envelope | Receipt, *, keyring: NodeKeyring, directory: Directory
) -> OutgoingMessage:
    """Build, sign (with the keyring's current key) and route a document or a business receipt."""
    header = message.header
    target = directory.node_hosting(header.recipient_unit)
    if target is None:
        raise NoRouteToUnit(f"节点目录中没有承载单位 {header.recipient_unit} 的节点，请管理员更新节点目录")
    body = build_envelope(message) if isinstance(message, Envelope) else build_receipt(message)
    return OutgoingMessage(
        message_id=header.message_id,
        process_id=header.process_id,
        target_node_id=target.node_id,
        url=target.base_url.rstrip("/") + INBOX_PATH,
        body=body,
        signature=keyring.sign(body),
    )


def confirm_delivery(sent: OutgoingMessage, answer: VerifiedMessage) -> Receipt:
    """The 送达 receipt in `answer` (already through `check_incoming`), if it answers `sent`; else raise."""
    receipt = answer.message
    if not isinstance(receipt, Receipt) or receipt.receipt_type is not ReceiptType.DELIVERED:
        raise DeliveryNotConfirmed("对方的应答不是送达回执")
    if answer.sender_node_id != sent.target_node_id:
        raise DeliveryNotConfirmed(
            f"送达回执来自节点 {answer.sender_node_id}，而消息发往 {sent.target_node_id}"
        )
    if receipt.original_message_id != sent.message_id or receipt.header.process_id != sent.process_id:
        raise DeliveryNotConfirmed("送达回执答复的不是这条消息")
    return receipt
