"""Bad messages POSTed to a real node: each gets its typed refusal (problem details with the refusal's code),
and the receiving node stores nothing. A replay is answered with the original receipt, not a second document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from docflow.exchange.receipts import ReceiptType, parse_receipt
from docflow.exchange.signing import NodeKey, NodeKeyring
from docflow.incoming.models import InboxMessage, IncomingDocument
from oa.audit.models import AuditRecord
from tests.exchange_nodes.conftest import TwoNodes
from tests.exchange_nodes.messages import BILLION_LAUGHS, XXE_PROLOG, envelope, post, signed, with_prolog


async def footprint(nodes: TwoNodes) -> tuple[int, int, int]:
    async with nodes.b.services.sessions() as session:
        counts = []
        for table in (InboxMessage, IncomingDocument, AuditRecord):
            counts.append((await session.execute(select(func.count()).select_from(table))).scalar_one())
        return counts[0], counts[1], counts[2]


def a_keys(nodes: TwoNodes) -> NodeKeyring:
    keyring: NodeKeyring = nodes.a.app.state.exchange_runtime.keyring
    return keyring


def tamper_attachment(body: bytes) -> bytes:
    """Change one byte of the attachment's content in the base64 text (still valid base64, same length)."""
    start = body.index("数据>".encode()) + len("数据>".encode())
    flipped = b"B" if body[start + 10:start + 11] != b"B" else b"C"
    return body[:start + 10] + flipped + body[start + 11:]


Case = Callable[[TwoNodes], tuple[bytes, str | None, str | None]]


def _valid(nodes: TwoNodes, **kw: Any) -> tuple[bytes, str]:
    return signed(a_keys(nodes), envelope(**kw))


def malformed(nodes: TwoNodes) -> tuple[bytes, str | None, str | None]:
    body, signature = _valid(nodes)
    return body[:-20], signature, "1.0"


def xxe(nodes: TwoNodes) -> tuple[bytes, str | None, str | None]:
    body = with_prolog(_valid(nodes)[0], XXE_PROLOG)
    return body, a_keys(nodes).sign(body), "1.0"


def bomb(nodes: TwoNodes) -> tuple[bytes, str | None, str | None]:
    body = with_prolog(_valid(nodes)[0], BILLION_LAUGHS)
    return body, a_keys(nodes).sign(body), "1.0"


def oversize(nodes: TwoNodes) -> tuple[bytes, str | None, str | None]:
    return _valid(nodes, attachment=b"x" * 1_600_000)[0], None, "1.0"  # ~2.1 MB once base64: B accepts 2 MB


def schema(nodes: TwoNodes) -> tuple[bytes, str | None, str | None]:
    body = _valid(nodes)[0].replace("<标题>".encode(), "<题目>".encode(), 1)
    body = body.replace("</标题>".encode(), "</题目>".encode(), 1)
    assert "<题目>".encode() in body
    return body, a_keys(nodes).sign(body), "1.0"


def wrong_signature(nodes: TwoNodes) -> tuple[bytes, str | None, str | None]:
    body, _ = _valid(nodes)
    return body, a_keys(nodes).sign(body + b" "), "1.0"


def missing_signature(nodes: TwoNodes) -> tuple[bytes, str | None, str | None]:
    return _valid(nodes)[0], None, "1.0"


def unknown_key(nodes: TwoNodes) -> tuple[bytes, str | None, str | None]:
    body = _valid(nodes)[0]
    return body, NodeKeyring(NodeKey.generate()).sign(body), "1.0"


def sender_not_hosted(nodes: TwoNodes) -> tuple[bytes, str | None, str | None]:
    body, signature = _valid(nodes, sender="SPZ")  # SPZ is on node B: node A may not speak for it
    return body, signature, "1.0"


def recipient_not_hosted(nodes: TwoNodes) -> tuple[bytes, str | None, str | None]:
    body, signature = _valid(nodes, recipient="XZZ")  # 西周镇 is on node A
    return body, signature, "1.0"


def unsupported_version(nodes: TwoNodes) -> tuple[bytes, str | None, str | None]:
    body, signature = _valid(nodes)
    return body, signature, "9.9"


def tampered_attachment(nodes: TwoNodes) -> tuple[bytes, str | None, str | None]:
    body = tamper_attachment(_valid(nodes, attachment=b"%PDF-1.7 inspection form " * 50)[0])
    return body, a_keys(nodes).sign(body), "1.0"  # re-signed after tampering: only the digest can tell


def tampered_in_transit(nodes: TwoNodes) -> tuple[bytes, str | None, str | None]:
    body, signature = _valid(nodes, attachment=b"%PDF-1.7 inspection form " * 50)
    return tamper_attachment(body), signature, "1.0"


CASES: list[tuple[str, Case, int, str]] = [
    ("malformed-xml", malformed, 400, "malformed-xml"),
    ("dtd-xxe", xxe, 400, "forbidden-dtd"),
    ("entity-bomb", bomb, 400, "forbidden-dtd"),
    ("oversize", oversize, 413, "too-large"),
    ("schema-violation", schema, 422, "schema-violation"),
    ("wrong-signature", wrong_signature, 401, "bad-signature"),
    ("missing-signature", missing_signature, 401, "missing-signature"),
    ("unknown-kid", unknown_key, 401, "unknown-key"),
    ("sender-not-hosted-by-signer", sender_not_hosted, 403, "sender-not-hosted-by-signer"),
    ("recipient-not-hosted-here", recipient_not_hosted, 421, "recipient-not-hosted-here"),
    ("unsupported-version", unsupported_version, 400, "unsupported-version"),
    ("tampered-attachment-resigned", tampered_attachment, 422, "attachment-digest-mismatch"),
    ("tampered-attachment-in-transit", tampered_in_transit, 401, "bad-signature"),
]


async def test_every_bad_message_gets_its_typed_refusal_and_changes_nothing(two_nodes: TwoNodes):
    before = await footprint(two_nodes)
    for name, case, status, code in CASES:
        body, signature, version = case(two_nodes)
        response = await post(two_nodes.b.url, body, signature, version)
        assert response.status_code == status, f"{name}: {response.status_code} {response.text}"
        problem = response.json()
        assert problem["type"].endswith("/" + code) and response.headers["X-Exchange-Refusal"] == code, name
        assert problem["detail"], name
        assert await footprint(two_nodes) == before, f"{name} left a trace"


async def test_a_valid_message_is_stored_once_and_a_replay_gets_the_original_receipt(two_nodes: TwoNodes):
    body, signature = signed(a_keys(two_nodes), envelope(attachment=b"%PDF-1.7 form"))
    first = await post(two_nodes.b.url, body, signature)
    assert first.status_code == 200, first.text
    receipt = parse_receipt(first.content)
    assert receipt.receipt_type is ReceiptType.DELIVERED and receipt.header.recipient_unit == "XSX"
    after_first = await footprint(two_nodes)
    again = await post(two_nodes.b.url, body, signature)
    assert again.status_code == 200 and again.content == first.content
    assert again.headers["X-Exchange-Replay"] == "original-receipt"
    assert await footprint(two_nodes) == after_first
    async with two_nodes.b.services.sessions() as session:
        titles = (await session.execute(select(IncomingDocument.title))).scalars().all()
    assert titles == ["关于开展冬季消防安全检查的通知"]


@pytest.mark.parametrize("code", [c[3] for c in CASES])
def test_every_refusal_code_in_the_table_is_a_real_refusal(code: str):
    from docflow.exchange.errors import REFUSALS

    assert code in {r.code for r in REFUSALS}
