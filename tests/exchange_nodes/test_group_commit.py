"""公文 arriving together on node B share one inbox transaction (group commit), yet each is stored, answered,
audited and refused exactly as it would have been alone."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from docflow.exchange.errors import RecipientNotHostedHere
from docflow.exchange.inbox import InboxAnswer, receive
from docflow.exchange.namespaces import PROTOCOL_VERSION
from docflow.exchange.receipts import ReceiptType, parse_receipt
from docflow.exchange.runtime import ExchangeRuntime
from docflow.incoming.models import InboxMessage, IncomingAttachment, IncomingDocument
from oa.audit.models import AuditRecord
from oa.auth.principal import RequestContext
from tests.exchange_nodes.conftest import B_UNITS, TwoNodes
from tests.exchange_nodes.messages import envelope, signed


async def test_documents_received_together_are_each_stored_once_and_answered_as_if_alone(two_nodes: TwoNodes):
    nodes = two_nodes
    # ZZZ is hosted by node B according to its directory, but missing from its database: refused, nothing stored.
    response = await nodes.admin_b.put("/api/exchange/local-node",
                                       json={"name": "节点 B", "base_url": nodes.b.url, "units": [*B_UNITS, "ZZZ"]})
    assert response.status_code == 204, response.text
    keyring = nodes.a.app.state.exchange_runtime.keyring
    runtime: ExchangeRuntime = nodes.b.app.state.exchange_runtime
    good = [signed(keyring, envelope(recipient=B_UNITS[n % 2], attachment=f"%PDF-1.7 第{n}份".encode(),
                                     title=f"关于开展冬季消防安全检查的通知（{n}）")) for n in range(5)]
    lost = signed(keyring, envelope(recipient="ZZZ"))
    messages = [*good, good[0], lost]  # the first one twice: the second copy is a replay within the group

    # Started together: the messages pass their checks and queue while the first transaction runs.
    answers = await asyncio.gather(*(
        receive(nodes.b.services, runtime, version=PROTOCOL_VERSION, body=body, signature=signature,
                context=RequestContext(ip=f"10.0.0.{n}", request_id=f"request-{n}"))
        for n, (body, signature) in enumerate(messages)
    ), return_exceptions=True)

    # Which of the two copies of the first message queued first depends on how their checks interleaved: that one
    # is stored, the other is the replay and gets the very same receipt.
    first, copy = answers[0], answers[5]
    assert isinstance(first, InboxAnswer) and isinstance(copy, InboxAnswer), answers
    assert sorted([first.replay, copy.replay]) == [False, True]
    assert (copy.body, copy.signature) == (first.body, first.signature)
    stored, refused = [copy if first.replay else first, *answers[1:5]], answers[6]
    assert all(isinstance(a, InboxAnswer) and a.status == 200 and not a.replay for a in stored), answers
    receipts = [parse_receipt(a.body) for a in stored if isinstance(a, InboxAnswer)]
    assert all(r.receipt_type is ReceiptType.DELIVERED for r in receipts)
    assert len({r.header.message_id for r in receipts}) == 5
    assert isinstance(refused, RecipientNotHostedHere)

    async with nodes.b.services.sessions() as session:
        assert (await session.execute(select(func.count()).select_from(InboxMessage))).scalar_one() == 5
        titles = sorted((await session.execute(select(IncomingDocument.title))).scalars())
        assert titles == sorted(f"关于开展冬季消防安全检查的通知（{n}）" for n in range(5))
        contents = sorted((await session.execute(select(IncomingAttachment.content))).scalars())
        assert contents == sorted(f"%PDF-1.7 第{n}份".encode() for n in range(5))
        audits = (await session.execute(select(AuditRecord).where(AuditRecord.action == "exchange.inbox.document")
                                        )).scalars().all()
    # One audit record per stored message, naming the request that delivered it.
    by_message = {record.detail["message_id"]: (record.ip, record.request_id) for record in audits}
    assert len(audits) == 5
    delivered_by = [5 if first.replay else 0, 1, 2, 3, 4]  # the request whose copy of each message was stored
    for n, request in enumerate(delivered_by):
        message_id = str(parse_receipt(stored[n].body).original_message_id)  # type: ignore[union-attr]
        assert by_message[message_id] == (f"10.0.0.{request}", f"request-{request}")
