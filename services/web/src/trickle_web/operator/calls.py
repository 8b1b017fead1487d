"""API calls of the operator pages: a refused operator token (expired, or the credential was
rotated) ends the operator session and asks for the operator sign-in again.

``operator_call`` takes a generated operation; ``operator_send`` is for the operations the
generated client does not have yet (``upstream.send``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
from fastapi import Request
from trickle_client import AuthenticatedClient
from trickle_client.types import Response as ApiResponse

from trickle_web.operator.session import OperatorSignInRequired, operator_api
from trickle_web.sessions.browser import sign_out
from trickle_web.upstream import TokenRejected, call, send

T = TypeVar("T")


async def operator_call(
    request: Request, operation: Callable[..., Awaitable[ApiResponse[T]]], *args: Any, **kwargs: Any
) -> ApiResponse[T]:
    client: AuthenticatedClient = operator_api(request)
    try:
        return await call(operation, *args, client=client, **kwargs)
    except TokenRejected as exc:
        await sign_out(request)
        raise OperatorSignInRequired() from exc


async def operator_send(
    request: Request, method: str, path: str, *, json: Any = None, params: dict[str, Any] | None = None
) -> httpx.Response:
    client = operator_api(request)
    try:
        return await send(client, method, path, json=json, params=params)
    except TokenRejected as exc:
        await sign_out(request)
        raise OperatorSignInRequired() from exc


async def operator_json(request: Request, path: str, *, params: dict[str, Any] | None = None) -> Any:
    """A GET's JSON body, or None when the API refused it (the page shows what it has)."""
    answer = await operator_send(request, "GET", path, params=params)
    return answer.json() if answer.status_code == 200 else None
