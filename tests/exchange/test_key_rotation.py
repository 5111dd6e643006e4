"""Key rotation: new messages use the current key; old kids verify while published and fail once removed."""

from __future__ import annotations

import pytest

from docflow.exchange.envelope import build_envelope
from docflow.exchange.errors import InvalidKey, UnknownKey
from docflow.exchange.signing import NodeKey, NodeKeyring, import_jwks, read_protected_header

from .conftest import TwoNodes, make_envelope


def test_rotation_signs_new_messages_with_the_new_key_and_keeps_publishing_the_old(nodes: TwoNodes) -> None:
    old = nodes.a_keys.current
    rotated = nodes.a_keys.rotate()
    assert rotated.current.kid != old.kid
    assert rotated.previous == (old,)
    assert read_protected_header(rotated.sign(b"x"))["kid"] == rotated.current.kid
    assert [key.kid for key in import_jwks(rotated.jwks())] == [rotated.current.kid, old.kid]


def test_a_message_signed_before_rotation_verifies_while_the_old_key_is_published(nodes: TwoNodes) -> None:
    body = build_envelope(make_envelope())
    signed_before = nodes.a_keys.sign(body)  # e.g. still waiting in node A's outbox
    rotated = nodes.a_keys.rotate()
    directory = nodes.directory.with_node(nodes.node_a(rotated))
    assert nodes.check(body, signed_before, directory=directory).kid == nodes.a_keys.current.kid
    assert nodes.check(body, rotated.sign(body), directory=directory).kid == rotated.current.kid


def test_a_message_signed_with_a_retired_key_fails_once_the_key_is_removed(nodes: TwoNodes) -> None:
    body = build_envelope(make_envelope())
    signed_before = nodes.a_keys.sign(body)
    retired = nodes.a_keys.rotate().retire(nodes.a_keys.current.kid)
    directory = nodes.directory.with_node(nodes.node_a(retired))
    with pytest.raises(UnknownKey):
        nodes.check(body, signed_before, directory=directory)
    assert nodes.check(body, retired.sign(body), directory=directory).sender_node_id == "node-a"


def test_a_peer_with_a_stale_directory_does_not_know_the_new_key(nodes: TwoNodes) -> None:
    body = build_envelope(make_envelope())
    rotated = nodes.a_keys.rotate()
    with pytest.raises(UnknownKey, match="轮换"):
        nodes.check(body, rotated.sign(body))  # B has not imported A's new JWKS yet


def test_the_current_key_cannot_be_retired(nodes: TwoNodes) -> None:
    with pytest.raises(InvalidKey, match="轮换"):
        nodes.a_keys.retire(nodes.a_keys.current.kid)


def test_retiring_an_unknown_key_is_refused(nodes: TwoNodes) -> None:
    with pytest.raises(InvalidKey):
        nodes.a_keys.rotate().retire("no-such-kid")


def test_rotating_to_a_key_already_in_the_ring_is_refused() -> None:
    ring = NodeKeyring(NodeKey.generate())
    with pytest.raises(InvalidKey):
        ring.rotate(ring.current)


def test_the_published_keys_never_contain_private_material(nodes: TwoNodes) -> None:
    jwks = nodes.a_keys.rotate().jwks()
    assert all("d" not in jwk for jwk in jwks["keys"])
