"""Reading request bodies and query strings into validated models, with size limits and clear errors."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.requests import Request

from oa.errors import FieldError, InvalidInput, TooLarge, UnsupportedMediaType
from oa.web.problems import validation_errors

M = TypeVar("M", bound=BaseModel)


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise TooLarge(f"请求体过大：最多 {limit} 字节")
        except ValueError as exc:
            raise InvalidInput("Content-Length 不是数字") from exc
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"请求体过大：最多 {limit} 字节")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request, model: type[M], limit: int) -> M:
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise UnsupportedMediaType("请求体须为 JSON（Content-Type: application/json）")
    raw = await read_body(request, limit)
    try:
        # Strict JSON first: Python's parser, with NaN and Infinity refused (they are not JSON).
        json.loads(raw, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidInput(f"JSON 格式错误：{exc}") from exc
    try:
        # JSON mode: strict types as JSON has them (a string for an enum or a date is fine, "1" for 1 is not).
        return model.model_validate_json(raw)
    except ValidationError as exc:
        problems = validation_errors(exc)
        if any(p["type"] == "json_invalid" for p in problems):
            raise InvalidInput(f"JSON 格式错误：{problems[0]['message']}") from exc
        errors = [FieldError(p["field"], p["message"]) for p in problems]
        raise InvalidInput("提交的内容有误：" + "；".join(f"{e.field} {e.message}" for e in errors),
                           errors=errors) from exc


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} 不是合法的 JSON 值")


def validate(model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = [FieldError(e["field"], e["message"]) for e in validation_errors(exc)]
        raise InvalidInput("提交的内容有误：" + "；".join(f"{e.field} {e.message}" for e in errors),
                           errors=errors) from exc


def read_query(request: Request, model: type[M]) -> M:
    params = dict(request.query_params)
    try:
        return model.model_validate(params)
    except ValidationError as exc:
        errors = [FieldError(e["field"], e["message"]) for e in validation_errors(exc)]
        raise InvalidInput("查询参数有误：" + "；".join(f"{e.field} {e.message}" for e in errors),
                           errors=errors) from exc
