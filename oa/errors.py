"""Domain errors: what went wrong, in words a user can act on. The web layer maps each class to an HTTP status."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class DomainError(Exception):
    """Base of every error a use case raises on purpose. `code` is stable; `detail` is for people."""

    code = "bad-request"
    title = "请求有误"

    def __init__(self, detail: str, *, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


class InvalidInput(DomainError):
    code = "invalid-input"
    title = "输入有误"


class Unauthenticated(DomainError):
    code = "unauthenticated"
    title = "未登录或登录已失效"


class Forbidden(DomainError):
    code = "forbidden"
    title = "无权进行此操作"


class NotFound(DomainError):
    code = "not-found"
    title = "找不到对象"


class Conflict(DomainError):
    code = "conflict"
    title = "与当前状态冲突"


class AccountLocked(DomainError):
    code = "account-locked"
    title = "账号已锁定"


class TooLarge(DomainError):
    code = "too-large"
    title = "内容过大"


class UnsupportedMediaType(DomainError):
    code = "unsupported-media-type"
    title = "不支持的内容类型"
