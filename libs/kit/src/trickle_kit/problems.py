"""RFC 9457 problem+json errors with stable machine codes, and the handlers that emit them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from trickle_kit.errors import InvalidInput

PROBLEM_JSON = "application/problem+json"
log = structlog.get_logger("trickle.problems")


class FieldError(BaseModel):
    """One invalid input field."""

    model_config = ConfigDict(title="FieldError")

    field: str = Field(description="Dotted path of the field, e.g. body.amount.amount", examples=["body.amount"])
    message: str = Field(examples=["Input should be greater than 0"])
    type: str = Field(examples=["greater_than"])


class Problem(BaseModel):
    """An error response (RFC 9457 problem details) with a stable ``code``."""

    model_config = ConfigDict(title="Problem")

    type: str = Field(default="about:blank", examples=["https://trickle.dev/problems/insufficient_funds"])
    title: str = Field(examples=["Insufficient funds"])
    status: int = Field(examples=[422])
    code: str = Field(description="Stable machine-readable error code", examples=["validation_error"])
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = None


class ProblemError(Exception):
    """Raise from domain code; the handler turns it into problem+json."""

    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str | None = None,
        *,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers


def not_found(what: str, ident: str | None = None) -> ProblemError:
    detail = f"{what} {ident} does not exist or is not yours" if ident else f"{what} not found"
    return ProblemError(404, "not_found", "Not found", detail)


def conflict(code: str, detail: str) -> ProblemError:
    return ProblemError(409, code, "Conflict", detail)


def unprocessable(code: str, detail: str, field: str | None = None) -> ProblemError:
    errors = [FieldError(field=field, message=detail, type=code)] if field else None
    return ProblemError(422, code, "Unprocessable request", detail, errors=errors)


@contextmanager
def input_from(location: Literal["body", "query", "path", "header"]) -> Iterator[None]:
    """At the edge: a domain's ``InvalidInput`` raised inside becomes the 422 naming ``<location>.<name>``."""
    try:
        yield
    except InvalidInput as exc:
        raise unprocessable(exc.code, exc.detail, field=f"{location}.{exc.name}") from exc


def problem_response(request: Request, problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    problem.instance = problem.instance or request.url.path
    problem.request_id = getattr(request.state, "request_id", None)
    return JSONResponse(
        problem.model_dump(exclude_none=True), status_code=problem.status, media_type=PROBLEM_JSON, headers=headers
    )


_STATUS_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
}


def _field_path(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


_CHARACTER_NOT_IN_REPERTOIRE = "22021"
_INTERNAL_ERROR = Problem(
    status=500, code="internal_error", title="Internal error", detail="Something went wrong; it was logged."
)


def install_problem_handlers(app: FastAPI) -> None:
    """Map every error the app can raise to problem+json."""

    _document_problems(app)

    @app.exception_handler(ProblemError)
    async def _domain(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(
            request,
            Problem(status=exc.status, code=exc.code, title=exc.title, detail=exc.detail, errors=exc.errors),
            exc.headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            FieldError(
                field=_field_path(tuple(e.get("loc", ()))), message=str(e.get("msg", "")), type=str(e.get("type"))
            )
            for e in exc.errors()
        ]
        malformed = any(e.type == "json_invalid" for e in errors)
        code = "malformed_json" if malformed else "validation_error"
        names = ", ".join(e.field for e in errors[:5])
        return problem_response(
            request,
            Problem(
                status=422 if not malformed else 400,
                code=code,
                title="Invalid request",
                detail=f"Invalid fields: {names}",
                errors=errors,
            ),
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "http_error")
        return problem_response(
            request,
            Problem(status=exc.status_code, code=code, title=str(exc.detail), detail=str(exc.detail)),
            dict(exc.headers) if exc.headers else None,
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled_error", path=request.url.path)
        return problem_response(request, _INTERNAL_ERROR.model_copy())

    @app.exception_handler(DBAPIError)
    async def _database(request: Request, exc: DBAPIError) -> JSONResponse:
        # PostgreSQL text cannot hold NUL (SQLSTATE 22021): that is the client's input, not our fault.
        if getattr(exc.orig, "sqlstate", None) == _CHARACTER_NOT_IN_REPERTOIRE:
            problem = Problem(
                status=422,
                code="invalid_character",
                title="Invalid request",
                detail="Text must not contain NUL (\\u0000) characters",
            )
            return problem_response(request, problem)
        log.exception("unhandled_error", path=request.url.path)
        return problem_response(request, _INTERNAL_ERROR.model_copy())


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries documenting problem+json errors."""
    return {
        s: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": _STATUS_CODES.get(s, "error")}
        for s in statuses
    }


_PROBLEM_REF = "#/components/schemas/Problem"
_FASTAPI_422 = ("HTTPValidationError", "ValidationError")


def problem_openapi(document: dict[str, Any]) -> dict[str, Any]:
    """Make an OpenAPI document say what the handlers send: every 4xx/5xx is ``Problem`` as problem+json.

    FastAPI puts ``responses={...: {"model": Problem}}`` under ``application/json`` (the route's
    media type) and adds its own 422 (``HTTPValidationError``) to endpoints that do not document
    one; both would make clients and schema checks expect bodies the service never sends. An
    operation with a JSON body also gets its 400 (malformed JSON) documented, which the
    validation handler sends for it.
    """
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    rewritten = False
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            body = operation.get("requestBody", {}).get("content", {})
            if "application/json" in body and "400" not in operation.get("responses", {}):
                # The validation handler answers malformed JSON with 400 malformed_json.
                operation["responses"]["400"] = {"description": "malformed_json"}
            for status, response in operation.get("responses", {}).items():
                if str(status)[0] not in "45" or not isinstance(response, dict):
                    continue
                content = response.get("content") or {}
                refs = {media.get("schema", {}).get("$ref", "").rpartition("/")[2] for media in content.values()}
                if content and PROBLEM_JSON not in content and not refs & {"Problem", _FASTAPI_422[0]}:
                    continue  # a documented non-problem error body (e.g. /readyz's 503 Health)
                response["content"] = {PROBLEM_JSON: {"schema": {"$ref": _PROBLEM_REF}}}
                rewritten = True
    if rewritten and "Problem" not in schemas:
        problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(problem.pop("$defs", {}))
        schemas["Problem"] = problem
    for name in _FASTAPI_422:  # HTTPValidationError first: it is what refers to ValidationError
        others = {k: v for k, v in schemas.items() if k != name}
        if f'"#/components/schemas/{name}"' not in json.dumps([document.get("paths", {}), others]):
            schemas.pop(name, None)
    return document


def _document_problems(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = problem_openapi(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
