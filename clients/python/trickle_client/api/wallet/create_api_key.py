from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.api_key_create import ApiKeyCreate
from ...models.api_key_created import ApiKeyCreated
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    account_id: str,
    *,
    body: ApiKeyCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/accounts/{account_id}/api-keys".format(
            account_id=quote(str(account_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ApiKeyCreated | Problem | None:
    if response.status_code == 201:
        response_201 = ApiKeyCreated.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[ApiKeyCreated | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    account_id: str,
    *,
    client: AuthenticatedClient,
    body: ApiKeyCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[ApiKeyCreated | Problem]:
    """Create Api Key

     A new API key; its secret is in this response only (a replay shows it as null). 403
    ``first_party_session_required`` with an app's token.

    Args:
        account_id (str): An account id
        idempotency_key (None | str | Unset): Makes the request safe to retry: the same key and
            body return the first response.
        body (ApiKeyCreate): A new API key. Without ``scopes`` it gets every scope the caller's
            token has (never ``operator``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiKeyCreated | Problem]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    account_id: str,
    *,
    client: AuthenticatedClient,
    body: ApiKeyCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> ApiKeyCreated | Problem | None:
    """Create Api Key

     A new API key; its secret is in this response only (a replay shows it as null). 403
    ``first_party_session_required`` with an app's token.

    Args:
        account_id (str): An account id
        idempotency_key (None | str | Unset): Makes the request safe to retry: the same key and
            body return the first response.
        body (ApiKeyCreate): A new API key. Without ``scopes`` it gets every scope the caller's
            token has (never ``operator``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiKeyCreated | Problem
    """

    return sync_detailed(
        account_id=account_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    account_id: str,
    *,
    client: AuthenticatedClient,
    body: ApiKeyCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[ApiKeyCreated | Problem]:
    """Create Api Key

     A new API key; its secret is in this response only (a replay shows it as null). 403
    ``first_party_session_required`` with an app's token.

    Args:
        account_id (str): An account id
        idempotency_key (None | str | Unset): Makes the request safe to retry: the same key and
            body return the first response.
        body (ApiKeyCreate): A new API key. Without ``scopes`` it gets every scope the caller's
            token has (never ``operator``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiKeyCreated | Problem]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    account_id: str,
    *,
    client: AuthenticatedClient,
    body: ApiKeyCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> ApiKeyCreated | Problem | None:
    """Create Api Key

     A new API key; its secret is in this response only (a replay shows it as null). 403
    ``first_party_session_required`` with an app's token.

    Args:
        account_id (str): An account id
        idempotency_key (None | str | Unset): Makes the request safe to retry: the same key and
            body return the first response.
        body (ApiKeyCreate): A new API key. Without ``scopes`` it gets every scope the caller's
            token has (never ``operator``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiKeyCreated | Problem
    """

    return (
        await asyncio_detailed(
            account_id=account_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
