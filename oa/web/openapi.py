"""The OpenAPI 3.1 document, generated from the declared API routes (so it cannot drift from them)."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import models_json_schema

from oa.web.api import ApiRoute

_PATH_PARAM = re.compile(r"\{(\w+)(?::(\w+))?\}")
REF_TEMPLATE = "#/components/schemas/{model}"

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {"type": "object", "properties": {"field": {"type": "string"}, "message": {"type": "string"}}},
        },
    },
}


def openapi_path(path: str) -> str:
    return _PATH_PARAM.sub(lambda m: "{" + m.group(1) + "}", path)


def build_openapi(routes: list[ApiRoute], *, title: str, version: str) -> dict[str, Any]:
    models: set[type[BaseModel]] = set()
    for r in routes:
        for candidate in (r.body, r.query, _model_of(r.response)):
            if candidate is not None:
                models.add(candidate)
    ordered = sorted(models, key=lambda m: (m.__name__, m.__module__))
    keyed, defs = models_json_schema([(m, "validation") for m in ordered], ref_template=REF_TEMPLATE)
    # Two contexts may both have, say, a `HistoryOut`: pydantic then gives each a distinct name, and every $ref
    # must use the name pydantic chose, never the bare class name.
    refs: dict[Any, Any] = {model: schema for (model, _), schema in keyed.items()}
    schemas: dict[str, Any] = dict(defs.get("$defs", {}))
    schemas["Problem"] = PROBLEM_SCHEMA
    paths: dict[str, dict[str, Any]] = {}
    for r in routes:
        paths.setdefault(openapi_path(r.path), {})[r.method.lower()] = _operation(r, refs)
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "cookie": {"type": "apiKey", "in": "cookie", "name": "oa_access"},
            },
        },
    }


def _model_of(response: Any) -> type[BaseModel] | None:
    if isinstance(response, type) and issubclass(response, BaseModel):
        return response
    if isinstance(response, list) and response and isinstance(response[0], type):
        return response[0] if issubclass(response[0], BaseModel) else None
    return None


def _operation(r: ApiRoute, refs: dict[Any, Any]) -> dict[str, Any]:
    def _ref(model: type[BaseModel]) -> dict[str, Any]:
        return dict(refs[model])

    op: dict[str, Any] = {
        "operationId": r.handler.__name__,
        "summary": r.summary,
        "tags": list(r.tags),
    }
    if r.description:
        op["description"] = r.description
    params: list[dict[str, Any]] = [
        {"name": m.group(1), "in": "path", "required": True,
         "schema": {"type": "integer" if m.group(2) == "int" else "string"}}
        for m in _PATH_PARAM.finditer(r.path)
    ]
    if r.query is not None:
        schema = r.query.model_json_schema(ref_template=REF_TEMPLATE)
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            params.append({"name": name, "in": "query", "required": name in required, "schema": prop})
    if params:
        op["parameters"] = params
    binary = {"type": "string", "format": "binary"}
    if r.body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(r.body)}}}
    elif r.raw_body:
        op["requestBody"] = {"required": True, "description": "文件内容本身（不是表单，不是 JSON）",
                             "content": {media: {"schema": binary} for media in r.raw_body}}
    responses: dict[str, Any] = {}
    model = _model_of(r.response)
    if r.media_type != "application/json":
        responses[str(r.status)] = {"description": "成功", "content": {r.media_type: {"schema": binary}}}
    elif r.status == 204 or r.response is None:
        responses[str(r.status if r.status != 200 else 204)] = {"description": "完成"}
    elif model is not None:
        schema = {"type": "array", "items": _ref(model)} if isinstance(r.response, list) else _ref(model)
        responses[str(r.status)] = {"description": "成功", "content": {"application/json": {"schema": schema}}}
    else:
        schema = TypeAdapter(r.response).json_schema()
        responses[str(r.status)] = {"description": "成功", "content": {"application/json": {"schema": schema}}}
    problem = {"content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    errors = {400: "请求有误", 422: "输入有误", **r.extra_responses}
    if not r.public:
        errors.update({401: "未登录或登录已失效", 403: "无权进行此操作"})
    for status, text in sorted(errors.items()):
        responses[str(status)] = {"description": text, **problem}
    op["responses"] = responses
    if not r.public:
        op["security"] = [{"bearer": []}, {"cookie": []}]
    return op
