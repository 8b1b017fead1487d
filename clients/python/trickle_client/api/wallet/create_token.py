from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.access_token import AccessToken
from ...models.body_create_token import BodyCreateToken
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: BodyCreateToken | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/oauth/token",
    }

    if not isinstance(body, Unset):
        _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AccessToken | Problem | None:
    if response.status_code == 200:
        response_200 = AccessToken.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

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
) -> Response[AccessToken | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: BodyCreateToken | Unset = UNSET,
) -> Response[AccessToken | Problem]:
    """Create Token

     OAuth2 token endpoint. client_credentials: an API key (or the operator credential) for a short-lived
    access token. authorization_code (with the PKCE code_verifier) and refresh_token (rotated: the
    answer
    carries a new one, the old one is spent): an app's tokens for the account that authorized it. A
    refusal
    is problem+json with RFC 6749's ``error`` (= ``code``) and ``error_description`` too.

    Args:
        body (BodyCreateToken | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccessToken | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: BodyCreateToken | Unset = UNSET,
) -> AccessToken | Problem | None:
    """Create Token

     OAuth2 token endpoint. client_credentials: an API key (or the operator credential) for a short-lived
    access token. authorization_code (with the PKCE code_verifier) and refresh_token (rotated: the
    answer
    carries a new one, the old one is spent): an app's tokens for the account that authorized it. A
    refusal
    is problem+json with RFC 6749's ``error`` (= ``code``) and ``error_description`` too.

    Args:
        body (BodyCreateToken | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccessToken | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: BodyCreateToken | Unset = UNSET,
) -> Response[AccessToken | Problem]:
    """Create Token

     OAuth2 token endpoint. client_credentials: an API key (or the operator credential) for a short-lived
    access token. authorization_code (with the PKCE code_verifier) and refresh_token (rotated: the
    answer
    carries a new one, the old one is spent): an app's tokens for the account that authorized it. A
    refusal
    is problem+json with RFC 6749's ``error`` (= ``code``) and ``error_description`` too.

    Args:
        body (BodyCreateToken | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccessToken | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: BodyCreateToken | Unset = UNSET,
) -> AccessToken | Problem | None:
    """Create Token

     OAuth2 token endpoint. client_credentials: an API key (or the operator credential) for a short-lived
    access token. authorization_code (with the PKCE code_verifier) and refresh_token (rotated: the
    answer
    carries a new one, the old one is spent): an app's tokens for the account that authorized it. A
    refusal
    is problem+json with RFC 6749's ``error`` (= ``code``) and ``error_description`` too.

    Args:
        body (BodyCreateToken | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccessToken | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
