"""Idempotency-Key for POSTs that create something: one effect per key, the first response replayed.

Usage in an endpoint::

    async with begin_idempotent(sessions, key=idempotency_key, scope=principal.subject,
                                request=request, body=payload.model_dump(mode="json")) as idem:
        if idem.replay is not None:
            return idem.replay
        async with sessions() as session, session.begin():
            ... the effect ...
            response = JSONResponse(body, status_code=201)
            await idem.store(session, response)   # same transaction as the effect
        return response

- same key, same body: the stored response again (header ``Idempotent-Replayed: true``);
- same key, different body: 422 ``idempotency_key_reused``;
- same key while the first request is still running: 409 ``idempotency_request_in_progress``;
- the first request failed (raised): the key is released and may be retried.
Keys are scoped to the caller and kept 24 h.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Header, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_kit.envelope import utcnow
from trickle_kit.problems import ProblemError
from trickle_kit.tables import IdempotencyRecord

TTL = timedelta(hours=24)
# A claim whose request died without releasing it (process killed) is taken over after this.
STALE_CLAIM = timedelta(seconds=60)

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="Makes the request safe to retry: the same key and body return the first response.",
    ),
]


def request_fingerprint(request: Request, body: Any) -> str:
    canonical = json.dumps({"m": request.method, "p": request.url.path, "b": body}, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class IdempotentCall:
    scope: str
    key: str | None
    replay: Response | None = None
    stored: bool = field(default=False)

    async def store(self, session: AsyncSession, response: Response) -> None:
        """Record ``response`` for the key, in the effect's transaction."""
        if self.key is None:
            return
        headers = {k: v for k, v in response.headers.items() if k.lower() in ("location", "content-type")}
        await session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.scope == self.scope, IdempotencyRecord.key == self.key)
            .values(status=response.status_code, response_body=bytes(response.body), response_headers=headers)
        )
        self.stored = True


async def _claim(sessions: async_sessionmaker[AsyncSession], scope: str, key: str, fingerprint: str) -> Response | None:
    now = utcnow()
    async with sessions() as session, session.begin():
        claimed = (
            await session.execute(
                insert(IdempotencyRecord)
                .values(scope=scope, key=key, request_hash=fingerprint, expires_at=now + TTL)
                .on_conflict_do_nothing()
                .returning(IdempotencyRecord.key)
            )
        ).scalar_one_or_none()
        if claimed is not None:
            return None
        row = (
            await session.execute(
                select(IdempotencyRecord)
                .where(IdempotencyRecord.scope == scope, IdempotencyRecord.key == key)
                .with_for_update()
            )
        ).scalar_one()
        stale = row.status is None and row.created_at < now - STALE_CLAIM
        if row.expires_at < now or stale:
            row.request_hash, row.status, row.response_body = fingerprint, None, None
            row.created_at, row.expires_at = now, now + TTL
            return None
        if row.request_hash != fingerprint:
            raise ProblemError(
                422,
                "idempotency_key_reused",
                "Idempotency key reused",
                "This Idempotency-Key was already used with a different request body",
            )
        if row.status is None:
            raise ProblemError(
                409,
                "idempotency_request_in_progress",
                "Request in progress",
                "A request with this Idempotency-Key is still being processed; retry later",
            )
        headers = dict(row.response_headers or {})
        headers["Idempotent-Replayed"] = "true"
        return Response(row.response_body or b"", status_code=row.status, headers=headers)


@asynccontextmanager
async def begin_idempotent(
    sessions: async_sessionmaker[AsyncSession], *, key: str | None, scope: str, request: Request, body: Any
) -> AsyncIterator[IdempotentCall]:
    """Claim ``key`` for this caller (see the module docstring); without a key, a no-op."""
    call = IdempotentCall(scope=scope, key=key)
    if key is None:
        yield call
        return
    call.replay = await _claim(sessions, scope, key, request_fingerprint(request, body))
    if call.replay is not None:
        yield call
        return
    try:
        yield call
    except BaseException:
        # Also when ``store`` ran: its transaction may not have committed. A claim whose
        # response did commit has a status and is not touched.
        await _release(sessions, scope, key)
        raise
    if not call.stored:
        await _release(sessions, scope, key)


async def _release(sessions: async_sessionmaker[AsyncSession], scope: str, key: str) -> None:
    """Forget an unfinished claim so the key can be used again at once."""
    async with sessions() as session, session.begin():
        await session.execute(
            delete(IdempotencyRecord).where(
                IdempotencyRecord.scope == scope, IdempotencyRecord.key == key, IdempotencyRecord.status.is_(None)
            )
        )


def json_response(content: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    """A JSONResponse (the kind ``store`` records) for pydantic ``model_dump(mode="json")`` content."""
    return JSONResponse(content, status_code=status_code, headers=headers)


def without_secret(resource: BaseModel) -> BaseModel:
    """``create_once``'s ``redact`` for a resource whose ``secret`` is shown once."""
    return resource.model_copy(update={"secret": None})


async def create_once(
    request: Request,
    *,
    key: str | None,
    scope: str,
    body: BaseModel,
    create: Callable[[AsyncSession], Awaitable[tuple[BaseModel, str]]],
    status_code: int = 201,
    redact: Callable[[BaseModel], BaseModel] | None = None,
) -> tuple[Response, BaseModel | None]:
    """The usual creating POST: ``create(session)`` returns (resource, its URL) inside one transaction
    with the stored response; a replay returns the first response and ``None`` for the resource.

    ``redact(resource)`` is what is stored for replays instead, when the first response holds
    something shown once (a secret is stored as null: secrets live only as hashes)."""
    sessions: async_sessionmaker[AsyncSession] = request.app.state.sessions
    async with begin_idempotent(
        sessions, key=key, scope=scope, request=request, body=body.model_dump(mode="json")
    ) as idem:
        if idem.replay is not None:
            return idem.replay, None
        async with sessions() as session, session.begin():
            resource, location = await create(session)
            headers = {"Location": location}
            response = json_response(resource.model_dump(mode="json"), status_code, headers=headers)
            stored = (
                response
                if redact is None
                else json_response(redact(resource).model_dump(mode="json"), status_code, headers=headers)
            )
            await idem.store(session, stored)
    return response, resource
