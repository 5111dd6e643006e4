"""The three 会签 policies (all, any one, quorum 2 of 3) and the drafter-may-not-countersign rule, with the unit's
workflow stored as a WorkflowSetting row, through the HTTP API."""

from __future__ import annotations

from docflow.rules.workflow_definition import ANY, StepKind, quorum
from tests.docflow.helpers import (
    Desk,
    People,
    act,
    events,
    footprint,
    open_holders,
    set_workflow,
    standard,
    to_review,
    with_step,
)

COUNTERSIGNERS = ("xsx.drafter2", "xsx.archivist", "xsx.registrar")


async def open_countersigning(desk: Desk, people: People) -> int:
    doc_id = await to_review(desk)
    view = await act(await desk("xsx.reviewer"), doc_id, "approve", next_holders=[people[u] for u in COUNTERSIGNERS])
    assert view["state"] == "countersigning" and open_holders(view) == {people[u] for u in COUNTERSIGNERS}
    return doc_id


async def test_with_policy_all_every_countersigner_must_agree(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await open_countersigning(desk, people)
    for username in COUNTERSIGNERS[:2]:
        view = await act(await desk(username), doc_id, "approve", opinion=f"{username} 同意")
        assert view["state"] == "countersigning"
    view = await act(await desk(COUNTERSIGNERS[2]), doc_id, "approve", opinion="同意",
                     next_holders=[people["xsx.leader"]])
    assert view["state"] == "awaiting_signoff"
    countersign = [t for t in view["tasks"] if t["step"] == "会签"]
    assert [(t["status"], t["outcome"]) for t in countersign] == [("done", "approved")] * 3


async def test_with_policy_any_the_first_agreement_completes_and_cancels_the_others(make_client, demo):
    await set_workflow(demo, "XSX", with_step(standard(), StepKind.COUNTERSIGN, policy=ANY))
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await open_countersigning(desk, people)

    view = await act(await desk("xsx.archivist"), doc_id, "approve", opinion="同意",
                     next_holders=[people["xsx.leader"]])
    assert view["state"] == "awaiting_signoff" and open_holders(view) == {people["xsx.leader"]}
    superseded = {t["holder_id"] for t in view["tasks"] if t["outcome"] == "superseded"}
    assert superseded == {people["xsx.drafter2"], people["xsx.registrar"]}
    told = {r for r, _ in await events(demo, doc_id, "docflow.task_cancelled")}
    assert told == superseded
    # A cancelled countersigner can no longer act on it.
    before = await footprint(demo, doc_id)
    await act(await desk("xsx.drafter2"), doc_id, "approve", expect=403, opinion="同意")
    assert await footprint(demo, doc_id) == before


async def test_with_a_quorum_of_two_the_second_agreement_completes_and_the_third_is_cancelled(make_client, demo):
    await set_workflow(demo, "XSX", with_step(standard(), StepKind.COUNTERSIGN, policy=quorum(2)))
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await open_countersigning(desk, people)

    view = await act(await desk("xsx.registrar"), doc_id, "approve", opinion="同意")
    assert view["state"] == "countersigning" and len(open_holders(view)) == 2
    view = await act(await desk("xsx.drafter2"), doc_id, "approve", opinion="同意",
                     next_holders=[people["xsx.deputy"]])
    assert view["state"] == "awaiting_signoff" and open_holders(view) == {people["xsx.deputy"]}
    archivist = next(t for t in view["tasks"] if t["holder_id"] == people["xsx.archivist"])
    assert (archivist["status"], archivist["outcome"]) == ("cancelled", "superseded")
    # Completed once for 核稿 and once for 会签, never again by the countersigner left over.
    assert await events(demo, doc_id, "docflow.step_completed") == [(people["xsx.drafter"], "docflow.step_completed")] * 2


async def test_naming_the_drafter_as_countersigner_is_refused_when_the_workflow_forbids_it(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_review(desk)
    reviewer = await desk("xsx.reviewer")
    before = await footprint(demo, doc_id)
    body = await act(reviewer, doc_id, "approve", expect=409, next_holders=[people["xsx.drafter"]])
    assert "拟稿人" in body["detail"]
    assert await footprint(demo, doc_id) == before


async def test_the_drafter_countersigns_when_the_workflow_allows_it(make_client, demo):
    await set_workflow(demo, "XSX", with_step(standard(), StepKind.COUNTERSIGN, drafter_may_countersign=True))
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_review(desk)
    view = await act(await desk("xsx.reviewer"), doc_id, "approve", next_holders=[people["xsx.drafter"]])
    assert open_holders(view) == {people["xsx.drafter"]}
    view = await act(await desk("xsx.drafter"), doc_id, "approve", opinion="同意",
                     next_holders=[people["xsx.leader"]])
    assert view["state"] == "awaiting_signoff"
