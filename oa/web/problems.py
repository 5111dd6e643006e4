"""Errors as RFC 9457 problem details. The one table from domain errors to HTTP statuses lives here."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from oa import errors

log = logging.getLogger("oa.web")

STATUS_OF: dict[type[errors.DomainError], int] = {
    errors.InvalidInput: 422,
    errors.Unauthenticated: 401,
    errors.Forbidden: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.AccountLocked: 423,
    errors.TooLarge: 413,
    errors.UnsupportedMediaType: 415,
    errors.DomainError: 400,
}

PROBLEM_TYPE_BASE = "https://oa.xiangshan.gov.cn/problems/"


def status_of(exc: errors.DomainError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_OF:
            return STATUS_OF[cls]
    return 400


def problem(
    status: int, code: str, title: str, detail: str, *, instance: str | None = None,
    errors_: list[dict[str, str]] | None = None, headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"type": PROBLEM_TYPE_BASE + code, "title": title, "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    if errors_:
        body["errors"] = errors_
    return JSONResponse(body, status_code=status, media_type="application/problem+json", headers=headers)


async def domain_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, errors.DomainError)
    status = status_of(exc)
    headers = {"WWW-Authenticate": 'Bearer realm="oa"'} if status == 401 else None
    return problem(
        status, exc.code, exc.title, exc.detail, instance=request.url.path,
        errors_=[{"field": e.field, "message": e.message} for e in exc.errors], headers=headers,
    )


def validation_errors(exc: ValidationError) -> list[dict[str, str]]:
    out = []
    for err in exc.errors(include_url=False, include_input=False):
        field = ".".join(str(p) for p in err["loc"]) or "body"
        out.append({"field": field, "message": _message(err), "type": err.get("type", "")})
    return out


def _message(err: Any) -> str:
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "不认识的字段，请删除"
    if kind == "missing":
        return "必填"
    if kind == "json_invalid":
        return str(err.get("ctx", {}).get("error", "无法解析"))
    if kind in {"string_too_short", "too_short"}:
        return f"太短（至少 {err.get('ctx', {}).get('min_length', '?')}）"
    if kind in {"string_too_long", "too_long"}:
        return f"太长（最多 {err.get('ctx', {}).get('max_length', '?')}）"
    if kind == "string_pattern_mismatch":
        return "格式不正确"
    if kind == "enum":
        return f"取值须为 {err.get('ctx', {}).get('expected', '')} 之一"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"类型不正确：{err.get('msg', '')}"
    return str(err.get("msg", "值不正确"))


async def http_exception_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    titles = {404: "找不到页面或接口", 405: "不支持此请求方法"}
    detail = exc.detail if isinstance(exc.detail, str) else "请求有误"
    if exc.status_code == 404:
        detail = f"没有这个地址：{request.url.path}"
    return problem(exc.status_code, f"http-{exc.status_code}", titles.get(exc.status_code, "请求有误"), detail,
                   instance=request.url.path)


def _database_connection_lost(exc: BaseException) -> bool:
    """The database went away under the request (a restart, a network cut): its transaction was rolled back."""
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


async def unexpected_error_handler(request: Request, exc: Exception) -> Response:
    if _database_connection_lost(exc):
        log.warning("database connection lost during a request", extra={"path": request.url.path})
        return problem(503, "database-unavailable", "数据库暂时不可用",
                       "与数据库的连接中断，本次操作没有生效。请稍后重新提交。", instance=request.url.path)
    log.exception("unexpected error", extra={"path": request.url.path})
    return problem(500, "internal", "服务器内部错误", "服务器处理请求时出错，已记录日志，请稍后重试或联系管理员。",
                   instance=request.url.path)
