"""Reading and changing the stored node directory, with this node's own entry kept consistent.

This node always appears in the directory it reads and exports: its units default to every unit of its
database (an administrator may narrow them, e.g. when several nodes share the demo county), its URL to
`OA_PUBLIC_URL`, and its JWKS always comes from its keyring, never from the database.
"""

from __future__ import annotations

import time

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.exchange.directory import Directory, Node
from docflow.exchange.models import ExchangeNode
from docflow.exchange.runtime import ExchangeRuntime
from docflow.exchange.signing import export_jwks, import_jwks
from oa.database import utcnow
from oa.org.models import Unit

DIRECTORY_CACHE_SECONDS = 5.0
"""How long a directory read is reused; another app node's change to the directory is seen within this time."""


async def cached_directory(session: AsyncSession, runtime: ExchangeRuntime) -> Directory:
    """The directory, read at most every few seconds (changes made through this instance are seen at once)."""
    cached = runtime.directory_cache
    now = time.monotonic()
    if cached is not None and cached[0] > now:
        directory: Directory = cached[1]
        return directory
    directory = await load_directory(session, runtime)
    runtime.directory_cache = (now + DIRECTORY_CACHE_SECONDS, directory)
    return directory


async def load_directory(session: AsyncSession, runtime: ExchangeRuntime) -> Directory:
    rows = (await session.execute(select(ExchangeNode))).scalars().all()
    nodes: list[Node] = []
    local_row = None
    for row in rows:
        if row.node_id == runtime.node_id:
            local_row = row
            continue
        nodes.append(Node(row.node_id, row.name, row.base_url, frozenset(row.units), import_jwks(row.jwks)))
    if local_row is not None:
        units = frozenset(local_row.units)
        name, base_url = local_row.name, local_row.base_url
    else:
        units = frozenset((await session.execute(select(Unit.code))).scalars())
        name, base_url = runtime.node_name, runtime.public_url
    # Units hosted elsewhere are not ours even by default: one unit, one node.
    elsewhere = {unit for node in nodes for unit in node.units}
    if local_row is None:
        units = units - elsewhere
    nodes.append(Node(runtime.node_id, name, base_url, units, runtime.keyring.published()))
    return Directory(tuple(nodes))


async def save_local_node(session: AsyncSession, runtime: ExchangeRuntime, *, name: str, base_url: str,
                          units: list[str]) -> None:
    """Set this node's name, URL and hosted units (checked by building the directory they would give)."""
    runtime.directory_cache = None
    row = await session.get(ExchangeNode, runtime.node_id, with_for_update=True)
    if row is None:
        row = ExchangeNode(node_id=runtime.node_id, jwks={}, is_local=True, name=name, base_url=base_url,
                           units=sorted(set(units)), updated_at=utcnow())
        session.add(row)
    row.name, row.base_url, row.units, row.updated_at = name, base_url, sorted(set(units)), utcnow()
    await session.flush()
    await load_directory(session, runtime)  # raises DirectoryError if the change breaks a rule


async def save_remote_node(session: AsyncSession, runtime: ExchangeRuntime, node: Node) -> None:
    runtime.directory_cache = None
    row = await session.get(ExchangeNode, node.node_id, with_for_update=True)
    values = {"name": node.name, "base_url": node.base_url, "units": sorted(node.units),
              "jwks": export_jwks(node.keys), "updated_at": utcnow()}
    if row is None:
        session.add(ExchangeNode(node_id=node.node_id, is_local=False, **values))
    else:
        for key, value in values.items():
            setattr(row, key, value)
    await session.flush()


async def import_nodes(session: AsyncSession, runtime: ExchangeRuntime, imported: Directory) -> list[str]:
    """Take every other node of an imported directory (this node's own entry in it is ignored: this node is
    the authority on itself). Returns the ids of the nodes added or replaced."""
    changed: list[str] = []
    for node in imported.nodes:
        if node.node_id == runtime.node_id:
            continue
        await save_remote_node(session, runtime, node)
        changed.append(node.node_id)
    await load_directory(session, runtime)
    return changed


async def remove_node(session: AsyncSession, runtime: ExchangeRuntime, node_id: str) -> bool:
    runtime.directory_cache = None
    result = await session.execute(delete(ExchangeNode).where(ExchangeNode.node_id == node_id,
                                                             ExchangeNode.node_id != runtime.node_id))
    return bool(result.rowcount)  # type: ignore[attr-defined]
