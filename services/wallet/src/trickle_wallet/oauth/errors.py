"""Refusals of the OAuth protocol endpoints (token, revocation): problem+json like every other answer, plus
RFC 6749 section 5.2's own members, ``error`` (the same as ``code``) and ``error_description``, which OAuth
client libraries read (without ``error`` they take a refusal for a token)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from trickle_kit.problems import PROBLEM_JSON, Problem, ProblemError

# RFC 6749 section 5.2: error_description = 1*( %x20-21 / %x23-5B / %x5D-7E )
_DESCRIPTION_CHARACTERS = frozenset(chr(c) for c in range(0x20, 0x7F)) - {'"', "\\"}


def oauth_problem_response(request: Request, exc: ProblemError) -> JSONResponse:
    problem = Problem(status=exc.status, code=exc.code, title=exc.title, detail=exc.detail, errors=exc.errors)
    problem.instance = request.url.path
    problem.request_id = getattr(request.state, "request_id", None)
    body = {**problem.model_dump(exclude_none=True), "error": exc.code}
    if exc.detail and set(exc.detail) <= _DESCRIPTION_CHARACTERS:
        body["error_description"] = exc.detail
    return JSONResponse(body, status_code=exc.status, media_type=PROBLEM_JSON, headers=exc.headers)
