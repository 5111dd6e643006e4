"""HTTP of the exchange: the inbox endpoint other nodes POST to, this node's public keys, and the
administrators' directory management (export, import, this node's entry, removing a node)."""

from __future__ import annotations

import json
import logging
from typing import Any

from pydantic import Field
from starlette.responses import Response

from docflow.exchange import errors as refusals
from docflow.exchange.directory import export_directory, import_directory
from docflow.exchange.directory_store import import_nodes, load_directory, remove_node, save_local_node
from docflow.exchange.errors import DirectoryError, ExchangeRefusal
from docflow.exchange.inbox import receive
from docflow.exchange.outgoing import INBOX_PATH
from docflow.exchange.receive import SIGNATURE_HEADER, VERSION_HEADER
from docflow.exchange.runtime import ExchangeRuntime, install
from oa.errors import InvalidInput, NotFound, TooLarge
from oa.org.roles import Role
from oa.web.api import ApiRouter, Call
from oa.web.problems import problem
from oa.web.requests import read_body
from oa.web.schemas import Input, Output

log = logging.getLogger("docflow.exchange")
router = ApiRouter()
node_router = ApiRouter()
"""The node-to-node protocol (`/exchange/v1/…`): served beside the API, described in docs/exchange.md rather
than in the OpenAPI document of the people's API."""
TAGS = ("交换",)

REFUSAL_STATUS: dict[type[ExchangeRefusal], int] = {
    refusals.UnsupportedVersion: 400,
    refusals.TooLarge: 413,
    refusals.MalformedXml: 400,
    refusals.ForbiddenDtd: 400,
    refusals.SchemaViolation: 422,
    refusals.MissingSignature: 401,
    refusals.BadSignature: 401,
    refusals.UnknownKey: 401,
    refusals.SenderNotHostedBySigner: 403,
    refusals.RecipientNotHostedHere: 421,
    refusals.AttachmentDigestMismatch: 422,
}
"""The one table from exchange refusals to HTTP statuses; the problem's `code` is the refusal's `code`."""


def refusal_problem(exc: ExchangeRefusal, path: str, client: str | None = None) -> Response:
    status = REFUSAL_STATUS.get(type(exc), 400)
    # Nothing about a refused message is stored; the log line is what an administrator can follow up.
    log.warning("exchange message refused: %s (%s) from %s", exc.code, exc.message[:200], client or "?")
    response = problem(status, exc.code, "交换消息被拒收", exc.message, instance=path)
    response.headers["X-Exchange-Refusal"] = exc.code
    return response


def runtime_of_call(call: Call[Any, Any]) -> ExchangeRuntime:
    return install(call.services)


@node_router.route("POST", INBOX_PATH, summary="接收交换消息（公文或回执）：校验后存储并以签名的送达回执应答",
                   tags=TAGS, public=True, raw_body=("application/xml",))
async def inbox(call: Call[Any, Any]) -> Response:
    runtime = runtime_of_call(call)
    request = call.request
    try:
        try:
            body = await read_body(request, runtime.config.max_message_bytes)
        except TooLarge as exc:
            raise refusals.TooLarge(exc.detail) from exc
        answer = await receive(call.services, runtime, version=request.headers.get(VERSION_HEADER), body=body,
                               signature=request.headers.get(SIGNATURE_HEADER), context=call.context)
    except ExchangeRefusal as exc:
        return refusal_problem(exc, request.url.path, call.context.ip)
    headers = answer.headers()
    if answer.replay:
        headers["X-Exchange-Replay"] = "original-receipt"
    return Response(answer.body, status_code=answer.status, headers=headers)


@node_router.route("GET", "/exchange/v1/jwks", summary="本节点的签名公钥（JWKS）", tags=TAGS, public=True)
async def jwks(call: Call[Any, Any]) -> dict[str, Any]:
    return runtime_of_call(call).keyring.jwks()


class LocalNodeIn(Input):
    name: str = Field(min_length=1, max_length=200)
    base_url: str = Field(min_length=1, max_length=500)
    units: list[str] = Field(max_length=10_000, description="本节点承载的单位代码")


class DirectoryImport(Input):
    directory: dict[str, Any] = Field(description="另一节点导出的目录文件（JSON）")


class ImportResult(Output):
    nodes: list[str]


@router.route("GET", "/api/exchange/directory", summary="导出节点目录（含本节点公钥）", tags=TAGS)
async def get_directory(call: Call[Any, Any]) -> Response:
    call.me.require(Role.SYSADMIN)
    async with call.services.sessions() as session:
        directory = await load_directory(session, runtime_of_call(call))
    return Response(export_directory(directory), media_type="application/json")


@router.route("POST", "/api/exchange/directory/import", summary="导入节点目录（替换同名节点）", tags=TAGS,
              body=DirectoryImport, response=ImportResult, extra_responses={422: "目录文件无效"})
async def import_directory_route(call: Call[DirectoryImport, Any]) -> ImportResult:
    call.me.require(Role.SYSADMIN)
    try:
        imported = import_directory(json.dumps(call.body.directory, ensure_ascii=False).encode("utf-8"))
        async with call.uow() as uow:
            changed = await import_nodes(uow.session, runtime_of_call(call), imported)
            uow.audit("exchange.directory.import", detail={"nodes": changed})
            await uow.commit()
        runtime_of_call(call).directory_cache = None  # a read between the change and its commit is stale
    except DirectoryError as exc:
        raise InvalidInput(str(exc)) from exc
    return ImportResult(nodes=changed)


@router.route("PUT", "/api/exchange/local-node", summary="设置本节点的名称、地址和承载单位", tags=TAGS,
              body=LocalNodeIn, status=204, extra_responses={422: "与目录冲突"})
async def put_local_node(call: Call[LocalNodeIn, Any]) -> None:
    call.me.require(Role.SYSADMIN)
    try:
        async with call.uow() as uow:
            await save_local_node(uow.session, runtime_of_call(call), name=call.body.name,
                                  base_url=call.body.base_url, units=call.body.units)
            uow.audit("exchange.directory.local_node", detail=call.body.model_dump())
            await uow.commit()
        runtime_of_call(call).directory_cache = None
    except DirectoryError as exc:
        raise InvalidInput(str(exc)) from exc


@router.route("DELETE", "/api/exchange/nodes/{node_id}", summary="从目录中删除一个节点", tags=TAGS, status=204)
async def delete_node(call: Call[Any, Any]) -> None:
    call.me.require(Role.SYSADMIN)
    node_id = call.request.path_params["node_id"]
    async with call.uow() as uow:
        if not await remove_node(uow.session, runtime_of_call(call), node_id):
            raise NotFound(f"目录中没有节点 {node_id}（本节点不能删除）")
        uow.audit("exchange.directory.remove", target_type="node", target_id=node_id)
        await uow.commit()
    runtime_of_call(call).directory_cache = None
