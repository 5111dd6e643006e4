"""Shared request/response model bases: inputs are strict and refuse unknown fields; outputs read from rows."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Input(BaseModel):
    """A JSON request body: strict types (no "1" for 1), unknown fields refused, strings trimmed."""

    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)


class Query(BaseModel):
    """Query-string parameters: strings by nature, so types are coerced (lax), unknown names refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class PageQuery(Query):
    page: int = Field(1, ge=1, le=100_000, description="页码，从 1 开始")
    page_size: int = Field(20, ge=1, le=200, description="每页条数")


class Page(Output, Generic[T]):
    items: list[T]
    total: int
