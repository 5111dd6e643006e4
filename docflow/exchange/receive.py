"""The receive checks: what a node does with bytes another node POSTed, before anything is stored.

`check_incoming` runs the checks in the protocol's order and raises the first refusal (a typed
`ExchangeRefusal` with a stable `code`); when it returns, the message is authentic, addressed to a unit this
node hosts, and its attachments are intact. Replays are not detected here: the caller stores the message
under a unique constraint on (`VerifiedMessage.sender_node_id`, `VerifiedMessage.message_id`) and, on a
conflict, answers with the receipt it stored the first time.

Typical use by the HTTP endpoint:
    verified = check_incoming(version=request.headers.get(VERSION_HEADER), body=await request.body(),
                              signature=request.headers.get(SIGNATURE_HEADER), directory=directory,
                              local_node_id=settings.node_id, max_bytes=settings.exchange_max_bytes)
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from docflow.exchange.directory import Directory
from docflow.exchange.envelope import Envelope, envelope_from_tree
from docflow.exchange.errors import (
    AttachmentDigestMismatch,
    RecipientNotHostedHere,
    SenderNotHostedBySigner,
    TooLarge,
    UnknownKey,
    UnsupportedVersion,
)
from docflow.exchange.hardened_xml import parse_untrusted, validate_message
from docflow.exchange.message_header import MessageHeader, MessageKind
from docflow.exchange.namespaces import ENVELOPE_TAG, SUPPORTED_VERSIONS
from docflow.exchange.receipts import Receipt, receipt_from_tree
from docflow.exchange.signing import read_protected_header, verify_message

VERSION_HEADER = "X-Exchange-Version"
"""HTTP request header carrying the protocol version (checked before the body is read further)."""

SIGNATURE_HEADER = "X-Exchange-Signature"
"""HTTP request header carrying the detached JWS (`header..signature`) over the exact body bytes."""


class UnknownLocalNode(LookupError):
    """This node's own id is missing from its directory: a configuration fault, not the sender's."""


@dataclass(frozen=True, slots=True)
class VerifiedMessage:
    """A message that passed every check; `message` is an `Envelope` (公文) or a `Receipt` (回执)."""

    sender_node_id: str
    kid: str
    message: Envelope | Receipt
    body: bytes  # the exact bytes that were signed: store them as received, for audit and archiving

    @property
    def header(self) -> MessageHeader:
        return self.message.header

    @property
    def message_id(self) -> uuid.UUID:
        return self.message.header.message_id

    @property
    def process_id(self) -> uuid.UUID:
        return self.message.header.process_id

    @property
    def kind(self) -> MessageKind:
        return self.message.header.kind

    @property
    def dedup_key(self) -> tuple[str, uuid.UUID]:
        """The key of the receiver's unique constraint: a repeat must return the original receipt."""
        return (self.sender_node_id, self.message_id)


def check_incoming(
    *,
    version: str | None,
    body: bytes,
    signature: str | None,
    directory: Directory,
    local_node_id: str,
    max_bytes: int,
) -> VerifiedMessage:
    """Run the receive checks in order; return the verified message or raise the first refusal.

    Order: 1 protocol version, 2 size limit, 3 well-formed XML without DTD or entities, 4 schema,
    5 signature (missing, malformed, unknown kid, wrong), 6 the signing node hosts the sending unit,
    7 this node hosts the recipient unit, 8 attachment sizes and digests.
    """
    local_node = directory.node(local_node_id)
    if local_node is None:
        raise UnknownLocalNode(f"本节点 {local_node_id} 不在节点目录中，请管理员检查目录配置")
    if version not in SUPPORTED_VERSIONS:
        supported = ", ".join(sorted(SUPPORTED_VERSIONS))
        raise UnsupportedVersion(f"不支持的协议版本 {version!r}，本节点支持：{supported}")
    if len(body) > max_bytes:
        raise TooLarge(f"消息有 {len(body)} 字节，超过本节点上限 {max_bytes} 字节")
    root = parse_untrusted(body)
    validate_message(root)
    message: Envelope | Receipt
    message = envelope_from_tree(root) if root.tag == ENVELOPE_TAG else receipt_from_tree(root)

    kid = read_protected_header(signature)["kid"]
    signer = directory.signer_of(kid)
    if signer is None:
        shown = kid if len(kid) <= 64 else kid[:64] + "…"  # the kid is the sender's text: keep logs short
        raise UnknownKey(f"节点目录中没有 kid 为 {shown} 的公钥：对方可能已轮换密钥，请更新节点目录")
    signing_node, key = signer
    verify_message(body, signature, key)

    header = message.header
    if not signing_node.hosts(header.sender_unit):
        raise SenderNotHostedBySigner(
            f"签名节点 {signing_node.node_id} 不承载发文单位 {header.sender_unit}，不能代其发送"
        )
    if not local_node.hosts(header.recipient_unit):
        raise RecipientNotHostedHere(f"收文单位 {header.recipient_unit} 不在本节点 {local_node_id}")
    if isinstance(message, Envelope):
        for attachment in message.attachments:
            problem = attachment.mismatch()
            if problem is not None:
                raise AttachmentDigestMismatch(problem)
    return VerifiedMessage(signing_node.node_id, kid, message, body)
