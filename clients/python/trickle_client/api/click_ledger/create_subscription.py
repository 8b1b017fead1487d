from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.subscription import Subscription
from ...models.subscription_create import SubscriptionCreate
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: SubscriptionCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/subscriptions",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Subscription | None:
    if response.status_code == 201:
        response_201 = Subscription.from_dict(response.json())

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

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | Subscription]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SubscriptionCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | Subscription]:
    """Create Subscription

     Subscribe to a thing for 3, 6 or 12 periods from the open one; its click for the open period is made
    now.

    Args:
        idempotency_key (None | str | Unset): Makes the request safe to retry: the same key and
            body return the first response.
        body (SubscriptionCreate): Click a thing automatically in each of the next 3, 6 or 12
            periods (from the open one).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Subscription]
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
    body: SubscriptionCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | Subscription | None:
    """Create Subscription

     Subscribe to a thing for 3, 6 or 12 periods from the open one; its click for the open period is made
    now.

    Args:
        idempotency_key (None | str | Unset): Makes the request safe to retry: the same key and
            body return the first response.
        body (SubscriptionCreate): Click a thing automatically in each of the next 3, 6 or 12
            periods (from the open one).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Subscription
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SubscriptionCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | Subscription]:
    """Create Subscription

     Subscribe to a thing for 3, 6 or 12 periods from the open one; its click for the open period is made
    now.

    Args:
        idempotency_key (None | str | Unset): Makes the request safe to retry: the same key and
            body return the first response.
        body (SubscriptionCreate): Click a thing automatically in each of the next 3, 6 or 12
            periods (from the open one).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Subscription]
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
    body: SubscriptionCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | Subscription | None:
    """Create Subscription

     Subscribe to a thing for 3, 6 or 12 periods from the open one; its click for the open period is made
    now.

    Args:
        idempotency_key (None | str | Unset): Makes the request safe to retry: the same key and
            body return the first response.
        body (SubscriptionCreate): Click a thing automatically in each of the next 3, 6 or 12
            periods (from the open one).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Subscription
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
