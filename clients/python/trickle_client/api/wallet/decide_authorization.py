from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.authorization_decision import AuthorizationDecision
from ...models.authorization_redirect import AuthorizationRedirect
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: AuthorizationDecision,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/oauth/authorizations",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AuthorizationRedirect | Problem | None:
    if response.status_code == 200:
        response_200 = AuthorizationRedirect.from_dict(response.json())

        return response_200

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
) -> Response[AuthorizationRedirect | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: AuthorizationDecision,
) -> Response[AuthorizationRedirect | Problem]:
    """Decide Authorization

     The person's decision on an app's request, with their Trickle session's token (never an app's):
    where to send the browser, the redirect URI with a single-use ``code`` and ``state``, or
    ``error=access_denied``.

    Args:
        body (AuthorizationDecision): The authorization request's parameters as the app sent them,
            and the person's decision.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuthorizationRedirect | Problem]
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
    client: AuthenticatedClient,
    body: AuthorizationDecision,
) -> AuthorizationRedirect | Problem | None:
    """Decide Authorization

     The person's decision on an app's request, with their Trickle session's token (never an app's):
    where to send the browser, the redirect URI with a single-use ``code`` and ``state``, or
    ``error=access_denied``.

    Args:
        body (AuthorizationDecision): The authorization request's parameters as the app sent them,
            and the person's decision.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuthorizationRedirect | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: AuthorizationDecision,
) -> Response[AuthorizationRedirect | Problem]:
    """Decide Authorization

     The person's decision on an app's request, with their Trickle session's token (never an app's):
    where to send the browser, the redirect URI with a single-use ``code`` and ``state``, or
    ``error=access_denied``.

    Args:
        body (AuthorizationDecision): The authorization request's parameters as the app sent them,
            and the person's decision.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuthorizationRedirect | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: AuthorizationDecision,
) -> AuthorizationRedirect | Problem | None:
    """Decide Authorization

     The person's decision on an app's request, with their Trickle session's token (never an app's):
    where to send the browser, the redirect URI with a single-use ``code`` and ``state``, or
    ``error=access_denied``.

    Args:
        body (AuthorizationDecision): The authorization request's parameters as the app sent them,
            and the person's decision.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuthorizationRedirect | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
