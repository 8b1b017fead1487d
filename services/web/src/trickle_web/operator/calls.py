"""API calls of the operator pages: a refused operator token (expired, or the credential was
rotated) ends the operator session and asks for the operator sign-in again.

``operator_call`` takes a generated operation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi import Request
from trickle_client import AuthenticatedClient
from trickle_client.types import Response as ApiResponse

from trickle_web.operator.session import OperatorSignInRequired, operator_api
from trickle_web.sessions.browser import sign_out
from trickle_web.upstream import TokenRejected, call

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
