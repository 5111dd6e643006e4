"""发文字号 through the HTTP API: a document keeps its number when it re-enters 登记, and a number of an abandoned
document is recorded as voided and never handed out again."""

from __future__ import annotations

from sqlalchemy import select

from docflow.numbering.models import IssuedNumber
from tests.docflow.helpers import Desk, People, act, open_holders, to_register


async def issued(services, document_id: int | None = None) -> list[tuple[int, int, str]]:
    async with services.sessions() as session:
        stmt = select(IssuedNumber.document_id, IssuedNumber.seq, IssuedNumber.status).order_by(IssuedNumber.seq)
        if document_id is not None:
            stmt = stmt.where(IssuedNumber.document_id == document_id)
        return [(d, s, st.value) for d, s, st in (await session.execute(stmt)).all()]


async def test_a_document_re_entering_registration_keeps_its_number(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_register(desk, people)
    registrar, leader = await desk("xsx.registrar"), await desk("xsx.leader")
    number = (await act(registrar, doc_id, "assign_number"))["doc_number"]

    view = await act(registrar, doc_id, "substantive_change", reason="第二条数字有误，已更正")
    assert view["state"] == "awaiting_signoff" and open_holders(view) == {people["xsx.leader"]}
    view = await act(leader, doc_id, "resubmit", opinion="同意更正")
    assert view["state"] == "registering" and view["doc_number"] == number
    assert (await act(registrar, doc_id, "assign_number"))["doc_number"] == number
    assert await issued(demo, doc_id) == [(doc_id, 1, "assigned")]


async def test_the_number_of_an_abandoned_document_is_voided_and_never_reissued(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    first = await to_register(desk, people)
    registrar, drafter = await desk("xsx.registrar"), await desk("xsx.drafter")
    taken = (await act(registrar, first, "assign_number"))["doc_number"]
    await act(registrar, first, "return", target="drafter", reason="主送范围需重新考虑")
    view = await act(drafter, first, "cancel", reason="改为函件另发")
    assert view["state"] == "withdrawn" and view["doc_number"] == taken
    assert await issued(demo, first) == [(first, 1, "voided")]

    second = await to_register(desk, people, title="关于开展汛前安全检查的通知")
    again = (await act(registrar, second, "assign_number"))["doc_number"]
    assert again != taken and again.endswith("〕2号")
    assert await issued(demo) == [(first, 1, "voided"), (second, 2, "assigned")]
