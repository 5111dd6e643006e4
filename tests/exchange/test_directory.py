"""The node directory: lookups, edits, and export/import between nodes with clear errors on bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest

from docflow.exchange.directory import Directory, Node, export_directory, import_directory
from docflow.exchange.envelope import build_envelope
from docflow.exchange.errors import DirectoryError
from docflow.exchange.signing import NodeKey

from .conftest import SECOND_UNIT_ON_A, UNIT_ON_A, UNIT_ON_B, TwoNodes, make_envelope


def test_lookups_find_the_host_of_a_unit_and_the_owner_of_a_key(nodes: TwoNodes) -> None:
    directory = nodes.directory
    node_a = directory.node_hosting(UNIT_ON_A)
    assert node_a is not None and node_a.node_id == "node-a"
    assert directory.node_hosting(SECOND_UNIT_ON_A) is node_a
    assert directory.node_hosting("NOBODY") is None
    kid = nodes.b_keys.current.kid
    signer = directory.signer_of(kid)
    assert signer is not None and signer[0].node_id == "node-b" and signer[1].kid == kid
    assert directory.key("node-b", kid) == signer[1]
    assert directory.key("node-a", kid) is None
    assert directory.signer_of("unknown") is None


def test_export_then_import_gives_back_the_same_directory(nodes: TwoNodes) -> None:
    exported = export_directory(nodes.directory)
    imported = import_directory(exported)
    assert export_directory(imported) == exported
    assert {node.node_id for node in imported.nodes} == {"node-a", "node-b"}
    node_a = imported.node("node-a")
    assert node_a is not None and node_a.units == frozenset({UNIT_ON_A, SECOND_UNIT_ON_A})
    assert imported.signer_of(nodes.a_keys.current.kid) is not None


def test_an_imported_directory_verifies_messages_like_the_original(nodes: TwoNodes) -> None:
    imported = import_directory(export_directory(nodes.directory))
    body = build_envelope(make_envelope())
    assert nodes.check(*nodes.signed(body), directory=imported).sender_node_id == "node-a"


def test_the_export_is_readable_json_without_private_keys(nodes: TwoNodes) -> None:
    document = json.loads(export_directory(nodes.directory))
    assert document["format"] == "xiangshan-oa-exchange-directory" and document["version"] == 1
    assert "象山县政府节点" in export_directory(nodes.directory).decode("utf-8")
    for node in document["nodes"]:
        assert all("d" not in jwk for jwk in node["jwks"]["keys"])


def test_with_node_replaces_a_node_and_without_node_removes_it(nodes: TwoNodes) -> None:
    moved = nodes.node_a(units=frozenset({UNIT_ON_A}))
    directory = nodes.directory.with_node(moved)
    assert directory.node_hosting(SECOND_UNIT_ON_A) is None
    assert len(directory.nodes) == 2
    assert directory.without_node("node-a").node_hosting(UNIT_ON_A) is None
    with pytest.raises(DirectoryError):
        directory.without_node("node-z")


def test_a_unit_cannot_be_hosted_by_two_nodes(nodes: TwoNodes) -> None:
    thief = Node(
        "node-c", "冒名节点", "https://c.example", frozenset({UNIT_ON_B}), (NodeKey.generate().public(),)
    )
    with pytest.raises(DirectoryError, match=UNIT_ON_B):
        nodes.directory.with_node(thief)


def test_a_key_id_cannot_belong_to_two_nodes(nodes: TwoNodes) -> None:
    copycat = Node("node-c", "复制节点", "https://c.example", frozenset({"C1"}), nodes.a_keys.published())
    with pytest.raises(DirectoryError, match="kid"):
        nodes.directory.with_node(copycat)


@pytest.mark.parametrize(
    ("node_id", "base_url", "message"),
    [
        ("Node A", "https://a.example", "节点标识"),
        ("node-a", "ftp://a.example", "http"),
        ("node-a", "https://user:pw@a.example", "用户名"),
        ("node-a", "https://a.example/?x=1", "查询串"),
        ("node-a", "not a url", "http"),
    ],
)
def test_a_node_with_a_bad_id_or_address_is_refused(node_id: str, base_url: str, message: str) -> None:
    with pytest.raises(DirectoryError, match=message):
        Node(node_id, "名称", base_url, frozenset(), ())


def _document(nodes: TwoNodes) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(export_directory(nodes.directory))
    return loaded


def _import(document: object) -> None:
    import_directory(json.dumps(document, ensure_ascii=False).encode("utf-8"))


def test_import_refuses_bytes_that_are_not_json() -> None:
    with pytest.raises(DirectoryError, match="JSON"):
        import_directory(b"\xff\xfe not json")
    with pytest.raises(DirectoryError, match="JSON"):
        import_directory(b"{unfinished")


def test_import_refuses_an_oversized_file(nodes: TwoNodes) -> None:
    data = export_directory(nodes.directory)
    with pytest.raises(DirectoryError, match="上限"):
        import_directory(data, max_bytes=len(data) - 1)


def test_import_refuses_another_format_or_version(nodes: TwoNodes) -> None:
    document = _document(nodes)
    with pytest.raises(DirectoryError, match="版本"):
        _import({**document, "version": 2})
    with pytest.raises(DirectoryError, match="格式"):
        _import({**document, "format": "something-else"})


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("nodes"), "nodes"),
        (lambda d: d["nodes"][0].update(extra="x"), "extra"),
        (lambda d: d["nodes"][0].update(units="X1"), "units"),
        (lambda d: d["nodes"][0].update(units=[1, 2]), "units"),
        (lambda d: d["nodes"][0].update(name=""), "name"),
        (lambda d: d["nodes"][0]["jwks"]["keys"][0].update(d="AAAA"), "私钥"),
        (lambda d: d["nodes"][0]["jwks"].update(keys="none"), "JWKS"),
        (lambda d: d["nodes"][0].update(units=["X1", "X1"]), "重复"),
        (lambda d: d["nodes"].append(dict(d["nodes"][0])), "两次"),
        (lambda d: d["nodes"][1].update(units=d["nodes"][0]["units"]), "同时登记"),
        (lambda d: d["nodes"][0].update(units=["县 政府"]), "单位代码"),
    ],
    ids=[
        "no-nodes",
        "unknown-member",
        "units-not-a-list",
        "units-not-strings",
        "empty-name",
        "private-key",
        "keys-not-a-list",
        "duplicate-unit",
        "duplicate-node",
        "unit-on-two-nodes",
        "bad-unit-code",
    ],
)
def test_import_explains_what_is_wrong_with_a_bad_document(
    nodes: TwoNodes, mutate: Any, message: str
) -> None:
    document = _document(nodes)
    mutate(document)
    with pytest.raises(DirectoryError, match=message):
        _import(document)


def test_an_empty_directory_round_trips() -> None:
    assert import_directory(export_directory(Directory())).nodes == ()
