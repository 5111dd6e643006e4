"""API conventions: problem details for bad input (and nothing changed), OpenAPI matching the routes, health,
readiness and request ids, and the database schema from the migrations matching the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from oa.audit.models import AuditRecord
from oa.database import Base
from oa.org.models import Unit
from oa.web.openapi import openapi_path

GOOD_UNIT = {"code": "GOOD", "name": "好的单位名称", "short_name": "好单位", "kind": "town"}


async def counts(server) -> tuple[int, int]:
    async with server.app.state.services.sessions() as session:
        units = (await session.execute(select(func.count()).select_from(Unit))).scalar_one()
        audit = (await session.execute(select(func.count()).select_from(AuditRecord))).scalar_one()
    return units, audit


BAD_BODIES = [
    pytest.param(b"{not json", "application/json", 422, "JSON 格式错误", id="malformed-json"),
    pytest.param(b'{"code": 1, "name": "x", "short_name": "y", "kind": "town"}', "application/json", 422, "code",
                 id="wrong-type"),
    pytest.param('{"code": "A1", "name": "好的单位名称", "short_name": "好单位", "kind": "town", "evil": true}'.encode(),
                 "application/json", 422, "不认识的字段", id="unknown-field"),
    pytest.param('{"code": "A1", "name": "好的单位名称", "short_name": "好单位", "kind": "city"}'.encode(), "application/json",
                 422, "kind", id="bad-enum"),
    pytest.param(b'{"code": "A1"}', "application/json", 422, "必填", id="missing-fields"),
    pytest.param(b'["a"]', "application/json", 422, "", id="not-an-object"),
    pytest.param(b"code=A1", "application/x-www-form-urlencoded", 415, "JSON", id="not-json"),
    pytest.param(b'{"code": "' + b"A" * 2_000_000 + b'"}', "application/json", 413, "过大", id="oversize"),
    pytest.param(b'{"code": NaN}', "application/json", 422, "JSON", id="nan"),
    pytest.param('{"code": "ＡＢ", "name": "好的单位名称", "short_name": "好单位", "kind": "town"}'.encode(),
                 "application/json", 422, "格式不正确", id="bad-code-pattern"),
]


@pytest.mark.parametrize(("body", "content_type", "status", "needle"), BAD_BODIES)
async def test_bad_input_gets_a_problem_answer_and_changes_nothing(client, server, body, content_type, status,
                                                                   needle):
    await client.sign_in("sysadmin")
    before = await counts(server)
    response = await client.post("/api/units", content=body, headers={"Content-Type": content_type})
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert {"type", "title", "status", "detail"} <= problem.keys()
    assert needle in problem["detail"] + str(problem.get("errors", ""))
    assert await counts(server) == before


async def test_bad_query_parameters_get_a_problem_answer(client):
    await client.sign_in("sysadmin")
    response = await client.get("/api/people", params={"page": "abc"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "page"
    response = await client.get("/api/people", params={"page_size": "100000"})
    assert response.status_code == 422
    response = await client.get("/api/people", params={"surprise": "1"})
    assert response.status_code == 422


async def test_unknown_api_paths_and_methods_are_problems_not_pages(client):
    await client.sign_in("sysadmin")
    missing = await client.get("/api/nothing-here")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/problem+json")
    wrong = await client.delete("/api/units")
    assert wrong.status_code == 405 and wrong.headers["content-type"].startswith("application/problem+json")


async def test_a_duplicate_unit_code_is_a_conflict_and_the_first_survives(client, server):
    await client.sign_in("sysadmin")
    assert (await client.post("/api/units", json=GOOD_UNIT)).status_code == 201
    before = await counts(server)
    again = await client.post("/api/units", json={**GOOD_UNIT, "name": "另一个名字"})
    assert again.status_code == 409 and "已被使用" in again.json()["detail"]
    assert await counts(server) == before


async def test_the_openapi_document_lists_exactly_the_api_routes(client, server):
    spec = (await client.get("/openapi.json")).json()
    assert spec["openapi"].startswith("3.")
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}
    real = set()
    for route in server.app.routes:
        path = getattr(route, "path", "")
        if path.startswith("/api/"):
            for method in route.methods - {"HEAD"}:
                real.add((openapi_path(path), method))
    assert documented == real
    for ops in spec["paths"].values():
        for op in ops.values():
            assert op["summary"] and op["responses"]
    refs = {s.split("/")[-1] for s in _refs(spec["paths"])}
    assert refs <= spec["components"]["schemas"].keys()


async def test_uploads_declare_the_file_itself_as_their_request_body(client):
    """The upload endpoints take the file as the raw body (streamed, size-limited), not a form or JSON: the spec
    says so, so that a generated client sends the bytes."""
    paths = (await client.get("/openapi.json")).json()["paths"]
    binary = {"type": "string", "format": "binary"}
    uploads = {"/api/documents/{document_id}/attachments": ["application/octet-stream"],
               "/api/archive/packages": ["application/xml", "application/octet-stream"]}
    for path, media_types in uploads.items():
        body = paths[path]["post"]["requestBody"]
        assert body["required"] is True
        assert {media: content["schema"] for media, content in body["content"].items()} == \
            {media: binary for media in media_types}
    json_bodies = [op for ops in paths.values() for op in ops.values()
                   if "application/json" in op.get("requestBody", {}).get("content", {})]
    assert json_bodies  # the JSON endpoints keep their schemas


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


async def test_health_readiness_and_request_ids(client):
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ok"
    echoed = await client.get("/healthz", headers={"X-Request-ID": "abc-12345678"})
    assert echoed.headers["x-request-id"] == "abc-12345678"
    assert len((await client.get("/healthz")).headers["x-request-id"]) == 32


async def test_the_migrated_schema_matches_the_models(services):
    async with services.engine.connect() as conn:
        diff = await conn.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}),
                                          Base.metadata))
    assert diff == []
