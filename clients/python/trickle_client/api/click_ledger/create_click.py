from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.click import Click
from ...models.click_create import ClickCreate
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ClickCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/clicks",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Click | Problem | None:
    if response.status_code == 200:
        response_200 = Click.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = Click.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Click | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ClickCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Click | Problem]:
    """Create Click

     Click a thing, or any URL (an unknown URL becomes an unclaimed thing), in the open period.

    One click per thing and period: clicking again returns the existing click with 200. A patron an
    operator
    suspended (or who deleted the account) gets 409 ``account_suspended``.

    Args:
        idempotency_key (None | str | Unset): Makes the request safe to retry: the same key and
            body return the first response.
        body (ClickCreate): Click a registered thing (``thing_id``) or any web page (``url``):
            exactly one of them.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Click | Problem]
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
    body: ClickCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Click | Problem | None:
    """Create Click

     Click a thing, or any URL (an unknown URL becomes an unclaimed thing), in the open period.

    One click per thing and period: clicking again returns the existing click with 200. A patron an
    operator
    suspended (or who deleted the account) gets 409 ``account_suspended``.

    Args:
        idempotency_key (None | str | Unset): Makes the request safe to retry: the same key and
            body return the first response.
        body (ClickCreate): Click a registered thing (``thing_id``) or any web page (``url``):
            exactly one of them.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Click | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ClickCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Click | Problem]:
    """Create Click

     Click a thing, or any URL (an unknown URL becomes an unclaimed thing), in the open period.

    One click per thing and period: clicking again returns the existing click with 200. A patron an
    operator
    suspended (or who deleted the account) gets 409 ``account_suspended``.

    Args:
        idempotency_key (None | str | Unset): Makes the request safe to retry: the same key and
            body return the first response.
        body (ClickCreate): Click a registered thing (``thing_id``) or any web page (``url``):
            exactly one of them.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Click | Problem]
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
    body: ClickCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Click | Problem | None:
    """Create Click

     Click a thing, or any URL (an unknown URL becomes an unclaimed thing), in the open period.

    One click per thing and period: clicking again returns the existing click with 200. A patron an
    operator
    suspended (or who deleted the account) gets 409 ``account_suspended``.

    Args:
        idempotency_key (None | str | Unset): Makes the request safe to retry: the same key and
            body return the first response.
        body (ClickCreate): Click a registered thing (``thing_id``) or any web page (``url``):
            exactly one of them.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Click | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
