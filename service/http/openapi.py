"""The OpenAPI 3.1 description, generated from the operations table and the schemas
that validate input: nothing about the API is written twice."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from service.http.params import CURSOR, answers_csv
from service.http.problems import PROBLEM_TYPES
from service.http.responses import dumps
from service.http.routes import OPERATIONS, Operation
from service.http.schemas import LINK_HEADER, SCHEMAS, ref


def openapi_document(
    base_url: str, extra: list[Operation] | None = None
) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for op in [*OPERATIONS, *(extra or [])]:
        operation: dict[str, Any] = {
            "summary": op.summary,
            "operationId": f"{op.method.lower()}_{op.handler.__name__}",
            "parameters": [
                {
                    "name": p.name,
                    "in": p.location,
                    "required": p.required or p.location == "path",
                    "description": p.description,
                    "schema": p.schema,
                }
                for p in op.params
            ],
            "responses": {},
        }
        if op.tags:
            operation["tags"] = list(op.tags)
        if op.conditional and op.method == "GET":
            operation["parameters"].append(
                {
                    "name": "If-None-Match",
                    "in": "header",
                    "required": False,
                    "description": "An earlier ETag: 304 if unchanged.",
                    "schema": {"type": "string"},
                }
            )
        if (op.method == "POST" and op.secured) or op.token_read:
            operation["security"] = [{"bearer": []}]
        if op.form is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/x-www-form-urlencoded": {"schema": op.form}},
            }
        if op.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": op.body}},
            }
        for status in op.ok:
            content: dict[str, Any] = (
                {op.media: {"schema": op.schema}} if op.schema else {op.media: {}}
            )
            if op.page is not None and status == 200:
                content["text/html"] = {}
            if status == 200 and any(answers_csv(p) for p in op.params):
                content["text/csv"] = {"schema": {"type": "string"}}
            response: dict[str, Any] = {
                "description": _ok_text(status),
                "content": content,
            }
            if op.conditional and op.method == "GET":
                response["headers"] = {"ETag": {"schema": {"type": "string"}}}
            if CURSOR in op.params and status == 200:
                response.setdefault("headers", {})["Link"] = LINK_HEADER
            if op.method == "POST" and op.secured:
                response["headers"] = {
                    "Location": {"schema": {"type": "string"}},
                    "Carefacts-Position": {"schema": {"type": "integer"}},
                }
            operation["responses"][str(status)] = response
        if op.conditional and op.method == "GET":
            operation["responses"]["304"] = {"description": "Not modified"}
        for status in op.errors:
            operation["responses"][str(status)] = {
                "description": _error_text(status),
                "content": {"application/problem+json": {"schema": ref("Problem")}},
            }
        paths.setdefault(op.path, {})[op.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "carefacts",
            "version": "0.1.0",
            "description": (
                "A ledger of what has been reported about English councils' children's "
                "services: every fact with its source, current state and timelines, "
                "and "
                "an Atom feed of every event."
            ),
        },
        "servers": [{"url": base_url}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


def _ok_text(status: int) -> str:
    return {200: "OK", 201: "Recorded"}.get(status, "OK")


def _error_text(status: int) -> str:
    for code, title, _ in PROBLEM_TYPES.values():
        if code == status:
            return title
    return "Error"


async def openapi_json(request: Request) -> Response:
    document = request.app.state.openapi
    return Response(dumps(document), media_type="application/json")
