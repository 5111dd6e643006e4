"""Fixtures for the exchange tests: two nodes with keys and a directory, and builders of valid messages."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from docflow.exchange.directory import Directory, Node
from docflow.exchange.envelope import Attachment, BodyBlock, DocumentElements, Envelope, Seal, build_envelope
from docflow.exchange.message_header import MessageHeader, MessageKind
from docflow.exchange.receive import VerifiedMessage, check_incoming
from docflow.exchange.signing import NodeKey, NodeKeyring, sign_message

UNIT_ON_A = "11330225MB0001234X"  # 象山县人民政府办公室, hosted by node A
SECOND_UNIT_ON_A = "11330225MB0005678Y"
UNIT_ON_B = "11330225MB0009999Z"  # 象山县教育局, hosted by node B
MAX_BYTES = 2_000_000
SENT_AT = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def make_envelope(**header_overrides: Any) -> Envelope:
    header = MessageHeader(
        message_id=uuid.UUID("6f1c1b0e-8a4e-4a59-9c37-0d5b8f3a1e01"),
        process_id=uuid.UUID("0b7d2f64-2f5a-4c1e-8d3b-7c8e9f0a1b2c"),
        kind=MessageKind.DOCUMENT,
        sender_unit=UNIT_ON_A,
        recipient_unit=UNIT_ON_B,
        sent_at=SENT_AT,
    )
    return Envelope(
        header=replace(header, **header_overrides),
        document=DocumentElements(
            identifier="XS-2026-000123",
            doc_type="通知",
            title="象山县人民政府办公室关于做好2026年冬季防火工作的通知",
            issuers=("象山县人民政府办公室",),
            written_on=date(2026, 11, 24),
            publication_level="公开",
            doc_number="象政办发〔2026〕70号",
            urgency="加急",
            signers=("王某某",),
            main_recipients=("县教育局", "各乡镇人民政府"),
            copy_to=("县应急管理局",),
            attachment_note="1. 冬季防火检查表",
            note="联系人：李某，电话：0574-65000000",
            printed_by="象山县人民政府办公室",
            printed_on=date(2026, 11, 25),
        ),
        body=(
            BodyBlock(0, "各乡镇人民政府，县直各单位："),
            BodyBlock(1, "一、提高思想认识"),
            BodyBlock(0, "冬季是火灾易发期，各单位要切实做好防火工作。"),
        ),
        attachments=(Attachment.of("冬季防火检查表.pdf", "application/pdf", b"%PDF-1.7 checklist " * 40),),
        seal=Seal(
            algorithm="SM2",
            key_id="seal-xszfb-2026",
            signature_value="MEUCIQDx3f0Zt9example==",
            signed_at=datetime(2026, 11, 25, 9, 0, tzinfo=UTC),
            sealing_unit=UNIT_ON_A,
        ),
    )


@dataclass
class TwoNodes:
    """Node A (hosting two units) and node B (hosting one), each with its keyring, in one directory."""

    a_keys: NodeKeyring
    b_keys: NodeKeyring
    directory: Directory

    def node_a(self, keyring: NodeKeyring | None = None, units: frozenset[str] | None = None) -> Node:
        return Node(
            "node-a",
            "象山县政府节点",
            "https://a.xiangshan.example/exchange",
            units if units is not None else frozenset({UNIT_ON_A, SECOND_UNIT_ON_A}),
            (keyring or self.a_keys).published(),
        )

    def signed(self, body: bytes, key: NodeKey | None = None) -> tuple[bytes, str]:
        return body, sign_message(body, key or self.a_keys.current)

    def check(
        self,
        body: bytes,
        signature: str | None,
        *,
        version: str | None = "1.0",
        local_node_id: str = "node-b",
        max_bytes: int = MAX_BYTES,
        directory: Directory | None = None,
    ) -> VerifiedMessage:
        return check_incoming(
            version=version,
            body=body,
            signature=signature,
            directory=directory or self.directory,
            local_node_id=local_node_id,
            max_bytes=max_bytes,
        )

    def send(self, envelope: Envelope | None = None) -> VerifiedMessage:
        body = build_envelope(envelope or make_envelope())
        return self.check(*self.signed(body))


@pytest.fixture
def nodes() -> TwoNodes:
    a_keys = NodeKeyring(NodeKey.generate())
    b_keys = NodeKeyring(NodeKey.generate())
    partial = TwoNodes(a_keys, b_keys, Directory())
    node_b = Node(
        "node-b", "象山县教育局节点", "http://127.0.0.1:8002", frozenset({UNIT_ON_B}), b_keys.published()
    )
    partial.directory = Directory((partial.node_a(), node_b))
    return partial


@pytest.fixture
def envelope_factory() -> Callable[..., Envelope]:
    return make_envelope
