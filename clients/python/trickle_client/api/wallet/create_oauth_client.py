from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.o_auth_client_create import OAuthClientCreate
from ...models.o_auth_client_created import OAuthClientCreated
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: OAuthClientCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/oauth/clients",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OAuthClientCreated | Problem | None:
    if response.status_code == 201:
        response_201 = OAuthClientCreated.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[OAuthClientCreated | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: OAuthClientCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[OAuthClientCreated | Problem]:
    """Create Oauth Client

     Register an app of your account. A confidential app's ``client_secret`` is in this response only.
    403 ``first_party_session_required`` with an app's token.

    Args:
        idempotency_key (None | str | Unset): Makes the request safe to retry: the same key and
            body return the first response.
        body (OAuthClientCreate): A new client app. Redirect URIs are matched exactly: https, or
            http only to a loopback address.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OAuthClientCreated | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: OAuthClientCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> OAuthClientCreated | Problem | None:
    """Create Oauth Client

     Register an app of your account. A confidential app's ``client_secret`` is in this response only.
    403 ``first_party_session_required`` with an app's token.

    Args:
        idempotency_key (None | str | Unset): Makes the request safe to retry: the same key and
            body return the first response.
        body (OAuthClientCreate): A new client app. Redirect URIs are matched exactly: https, or
            http only to a loopback address.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OAuthClientCreated | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: OAuthClientCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[OAuthClientCreated | Problem]:
    """Create Oauth Client

     Register an app of your account. A confidential app's ``client_secret`` is in this response only.
    403 ``first_party_session_required`` with an app's token.

    Args:
        idempotency_key (None | str | Unset): Makes the request safe to retry: the same key and
            body return the first response.
        body (OAuthClientCreate): A new client app. Redirect URIs are matched exactly: https, or
            http only to a loopback address.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OAuthClientCreated | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: OAuthClientCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> OAuthClientCreated | Problem | None:
    """Create Oauth Client

     Register an app of your account. A confidential app's ``client_secret`` is in this response only.
    403 ``first_party_session_required`` with an app's token.

    Args:
        idempotency_key (None | str | Unset): Makes the request safe to retry: the same key and
            body return the first response.
        body (OAuthClientCreate): A new client app. Redirect URIs are matched exactly: https, or
            http only to a loopback address.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OAuthClientCreated | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
