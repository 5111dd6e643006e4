"""The directory of exchange nodes: who hosts which units, where to reach them, which keys they sign with.

Administrators manage it and move it between nodes as a JSON document (`export_directory` /
`import_directory`, validated and size-limited). Lookups are pure: the receive checks ask which node owns a
key id and whether a node hosts a unit; the outbox asks which node hosts a recipient unit.

Document shape (format version 1):
    {"format": "xiangshan-oa-exchange-directory", "version": 1,
     "nodes": [{"node_id": "...", "name": "...", "base_url": "https://...", "units": ["..."],
                "jwks": {"keys": [{"kty": "EC", "crv": "P-256", "x": ..., "y": ..., "kid": ..., ...}]}}]}
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from docflow.exchange.errors import DirectoryError, InvalidKey
from docflow.exchange.signing import PublicNodeKey, export_jwks, import_jwks

DIRECTORY_FORMAT = "xiangshan-oa-exchange-directory"
DIRECTORY_VERSION = 1
DEFAULT_MAX_DIRECTORY_BYTES = 2_000_000
_NODE_ID = re.compile(r"^[a-z0-9][a-z0-9.\-]{0,63}$")
_UNIT_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._\-]{0,63}$")  # as UnitCode in common-1.0.xsd


@dataclass(frozen=True, slots=True)
class Node:
    node_id: str
    name: str
    base_url: str
    units: frozenset[str]
    keys: tuple[PublicNodeKey, ...]

    def __post_init__(self) -> None:
        if not _NODE_ID.match(self.node_id):
            raise DirectoryError(
                f"节点标识 {self.node_id!r} 无效：只能用小写字母、数字、点和连字符，最长 64 个字符"
            )
        if not self.name.strip():
            raise DirectoryError(f"节点 {self.node_id} 缺少名称")
        _check_base_url(self.node_id, self.base_url)
        bad_units = sorted(unit for unit in self.units if not _UNIT_CODE.match(unit))
        if bad_units:
            raise DirectoryError(f"节点 {self.node_id} 的单位代码无效：{', '.join(bad_units)}")
        kids = [key.kid for key in self.keys]
        if len(set(kids)) != len(kids):
            raise DirectoryError(f"节点 {self.node_id} 的公钥 kid 重复")

    def hosts(self, unit_code: str) -> bool:
        return unit_code in self.units

    def key(self, kid: str) -> PublicNodeKey | None:
        return next((key for key in self.keys if key.kid == kid), None)


def _check_base_url(node_id: str, base_url: str) -> None:
    parts = urlsplit(base_url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise DirectoryError(f"节点 {node_id} 的地址 {base_url!r} 必须是 http(s)://主机[:端口][/路径]")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise DirectoryError(f"节点 {node_id} 的地址不能含用户名、口令、查询串或片段")


@dataclass(frozen=True, slots=True)
class Directory:
    """An immutable directory; edits return a new one, so a lookup never sees a half-applied change."""

    nodes: tuple[Node, ...] = ()
    _by_id: dict[str, Node] = field(init=False, repr=False, compare=False)
    _by_unit: dict[str, Node] = field(init=False, repr=False, compare=False)
    _by_kid: dict[str, tuple[Node, PublicNodeKey]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id: dict[str, Node] = {}
        by_unit: dict[str, Node] = {}
        by_kid: dict[str, tuple[Node, PublicNodeKey]] = {}
        for node in self.nodes:
            if node.node_id in by_id:
                raise DirectoryError(f"节点 {node.node_id} 出现了两次")
            by_id[node.node_id] = node
            for unit in node.units:
                # One unit, one node: otherwise the outbox could not route and two nodes could speak for it.
                if unit in by_unit:
                    other = by_unit[unit].node_id
                    raise DirectoryError(f"单位 {unit} 同时登记在节点 {other} 和 {node.node_id}")
                by_unit[unit] = node
            for key in node.keys:
                # A kid names exactly one key of one node: the signer is found from the kid alone.
                if key.kid in by_kid:
                    other = by_kid[key.kid][0].node_id
                    raise DirectoryError(f"公钥 kid {key.kid} 同时出现在节点 {other} 和 {node.node_id}")
                by_kid[key.kid] = (node, key)
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_by_unit", by_unit)
        object.__setattr__(self, "_by_kid", by_kid)

    def node(self, node_id: str) -> Node | None:
        return self._by_id.get(node_id)

    def node_hosting(self, unit_code: str) -> Node | None:
        """The node that hosts a unit (where the outbox delivers messages for it), or None."""
        return self._by_unit.get(unit_code)

    def key(self, node_id: str, kid: str) -> PublicNodeKey | None:
        node = self._by_id.get(node_id)
        return None if node is None else node.key(kid)

    def signer_of(self, kid: str) -> tuple[Node, PublicNodeKey] | None:
        """The node publishing key `kid` and the key itself, or None when no node publishes it."""
        return self._by_kid.get(kid)

    def with_node(self, node: Node) -> Directory:
        """Add a node, or replace the node with the same id (e.g. to publish its rotated JWKS)."""
        kept = tuple(existing for existing in self.nodes if existing.node_id != node.node_id)
        return Directory((*kept, node))

    def without_node(self, node_id: str) -> Directory:
        if node_id not in self._by_id:
            raise DirectoryError(f"目录中没有节点 {node_id}")
        return Directory(tuple(node for node in self.nodes if node.node_id != node_id))


class _NodeDocument(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    node_id: str = Field(max_length=64)
    name: str = Field(min_length=1, max_length=200)
    base_url: str = Field(max_length=500)
    units: list[str] = Field(max_length=10_000)
    jwks: dict[str, Any]


class _DirectoryDocument(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    format: str
    version: int
    nodes: list[_NodeDocument] = Field(max_length=10_000)


def export_directory(directory: Directory) -> bytes:
    """Deterministic JSON (nodes and units sorted) that `import_directory` reads back on any node."""
    document = {
        "format": DIRECTORY_FORMAT,
        "version": DIRECTORY_VERSION,
        "nodes": [
            {
                "node_id": node.node_id,
                "name": node.name,
                "base_url": node.base_url,
                "units": sorted(node.units),
                "jwks": export_jwks(node.keys),
            }
            for node in sorted(directory.nodes, key=lambda n: n.node_id)
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def import_directory(data: bytes, *, max_bytes: int = DEFAULT_MAX_DIRECTORY_BYTES) -> Directory:
    """Read a directory document; raise DirectoryError with a message an administrator can act on."""
    if len(data) > max_bytes:
        raise DirectoryError(f"目录文件有 {len(data)} 字节，超过上限 {max_bytes} 字节")
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise DirectoryError(f"目录文件不是 UTF-8 编码的 JSON：{exc}") from exc
    try:
        document = _DirectoryDocument.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise DirectoryError(f"目录文件格式错误（{where}）：{first['msg']}") from exc
    if document.format != DIRECTORY_FORMAT or document.version != DIRECTORY_VERSION:
        raise DirectoryError(f"不支持的目录格式 {document.format!r} 版本 {document.version}")
    return Directory(tuple(_node_from_document(node) for node in document.nodes))


def _node_from_document(node: _NodeDocument) -> Node:
    try:
        keys = import_jwks(node.jwks)
    except InvalidKey as exc:
        raise DirectoryError(f"节点 {node.node_id} 的 JWKS 无效：{exc}") from exc
    if len(set(node.units)) != len(node.units):
        raise DirectoryError(f"节点 {node.node_id} 的单位列表有重复")
    return Node(node.node_id, node.name, node.base_url, frozenset(node.units), keys)

