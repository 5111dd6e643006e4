"""The incoming state machine as a pure table: every (state, action) pair, the guards, and the receipts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docflow.incoming.rules import (
    RECEIPT_OF,
    REQUIRED_ROLE,
    TRANSITIONS,
    Action,
    AlreadyDone,
    Facts,
    IllegalIncomingMove,
    MissingData,
    NotPermitted,
    ReceiptKind,
    SendReceipt,
    State,
    allowed_actions,
    apply,
)
from oa.org.roles import Role

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
ME = 7


def good_facts(action: Action) -> Facts:
    """Facts under which `action` passes its guard (the actor has the role and gives the data)."""
    role = REQUIRED_ROLE.get(action, Role.DRAFTER)
    return Facts(roles=frozenset({role}), actor_id=ME, readers=frozenset({ME}), new_readers=(8,),
                 unread_by_actor=True, named_leader_id=ME, reasons=("不属于本单位职责",), text="意见",
                 lead_office_id=3, deadline=NOW + timedelta(days=2), now=NOW)


ALL_PAIRS = [(state, action) for state in State for action in Action]


@pytest.mark.parametrize(("state", "action"), ALL_PAIRS, ids=[f"{s.value}-{a.value}" for s, a in ALL_PAIRS])
def test_every_pair_is_either_in_the_table_or_refused_as_illegal(state: State, action: Action):
    if (state, action) in TRANSITIONS:
        transition = apply(state, action, good_facts(action))
        assert (transition.before, transition.after) == (state, TRANSITIONS[(state, action)])
    else:
        with pytest.raises(IllegalIncomingMove, match="不能"):
            apply(state, action, good_facts(action))


@pytest.mark.parametrize("state", [State.RETURNED, State.CLOSED])
def test_returned_and_closed_are_final(state: State):
    assert allowed_actions(state) == ()


@pytest.mark.parametrize(("state", "action"), [p for p in TRANSITIONS if p[1] is not Action.READ],
                         ids=[f"{s.value}-{a.value}" for s, a in TRANSITIONS if a is not Action.READ])
def test_an_action_without_its_role_is_not_permitted(state: State, action: Action):
    others = frozenset(set(Role) - {REQUIRED_ROLE[action]})
    facts = Facts(roles=others, actor_id=ME, reasons=("理由",), text="x", new_readers=(8,), named_leader_id=ME,
                  lead_office_id=3, deadline=NOW + timedelta(days=1), now=NOW)
    with pytest.raises(NotPermitted, match="角色"):
        apply(state, action, facts)


@pytest.mark.parametrize(("action", "state", "spoil", "error"), [
    (Action.RETURN, State.REGISTERED, {"reasons": (" ", "")}, MissingData),
    (Action.CIRCULATE, State.ACCEPTED, {"new_readers": ()}, MissingData),
    (Action.PROPOSE, State.ACCEPTED, {"text": " "}, MissingData),
    (Action.PROPOSE, State.ACCEPTED, {"named_leader_id": None}, MissingData),
    (Action.INSTRUCT, State.PROPOSED, {"named_leader_id": 99}, NotPermitted),
    (Action.INSTRUCT, State.PROPOSED, {"text": ""}, MissingData),
    (Action.ASSIGN, State.INSTRUCTED, {"lead_office_id": None}, MissingData),
    (Action.ASSIGN, State.INSTRUCTED, {"deadline": None}, MissingData),
    (Action.ASSIGN, State.INSTRUCTED, {"deadline": NOW - timedelta(minutes=1)}, MissingData),
    (Action.READ, State.CIRCULATING, {"readers": frozenset({8})}, NotPermitted),
    (Action.READ, State.CIRCULATING, {"unread_by_actor": False}, AlreadyDone),
])
def test_a_guard_refuses_missing_data_and_the_wrong_person(action, state, spoil, error):
    fields = {name: getattr(good_facts(action), name) for name in Facts.__dataclass_fields__}
    with pytest.raises(error):
        apply(state, action, Facts(**{**fields, **spoil}))


@pytest.mark.parametrize(("state", "action", "kind"), [
    (State.RECEIVED, Action.SIGN_FOR, ReceiptKind.SIGNED_FOR),
    (State.REGISTERED, Action.RETURN, ReceiptKind.RETURNED),
    (State.IN_PROGRESS, Action.CLOSE, ReceiptKind.CLOSED),
    (State.CIRCULATING, Action.CLOSE, ReceiptKind.CLOSED),
])
def test_sign_for_return_and_close_send_a_receipt_to_the_sender(state, action, kind):
    transition = apply(state, action, good_facts(action))
    reasons = ("不属于本单位职责",) if action is Action.RETURN else ()
    assert transition.effects == (SendReceipt(kind, reasons),)


def test_no_other_move_sends_a_receipt():
    for (state, action) in TRANSITIONS:
        if action not in RECEIPT_OF:
            assert apply(state, action, good_facts(action)).effects == ()


@given(st.lists(st.sampled_from(list(Action)), max_size=30))
def test_any_sequence_of_actions_stays_inside_the_table(actions: list[Action]):
    state = State.RECEIVED
    receipts = []
    for action in actions:
        try:
            transition = apply(state, action, good_facts(action))
        except IllegalIncomingMove:
            continue
        assert (state, action) in TRANSITIONS
        state = transition.after
        receipts += [effect.kind for effect in transition.effects]
    assert state in State
    # At most one 签收 and one final receipt (退文 or 办结) per document, in that order.
    assert receipts.count(ReceiptKind.SIGNED_FOR) <= 1
    finals = [kind for kind in receipts if kind is not ReceiptKind.SIGNED_FOR]
    assert len(finals) <= 1 and (not finals or receipts[0] is ReceiptKind.SIGNED_FOR)
