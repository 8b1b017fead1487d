from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.seal_result import SealResult
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/periods/current/seal",
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | SealResult | None:
    if response.status_code == 200:
        response_200 = SealResult.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | SealResult]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[Problem | SealResult]:
    """Seal Current Period

     Operators: seal the open period once its month has ended, without waiting for the scheduler.

    Before the month's end only with the click-ledger's demo setting ``TRICKLE_DEMO_CALENDAR``
    (how demos and tests run a month in seconds; the calendar then stays ahead of the clock);
    otherwise 409 ``period_not_ended``. Seal markers are published on every partition of the
    click topic after the period's last click there.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SealResult]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> Problem | SealResult | None:
    """Seal Current Period

     Operators: seal the open period once its month has ended, without waiting for the scheduler.

    Before the month's end only with the click-ledger's demo setting ``TRICKLE_DEMO_CALENDAR``
    (how demos and tests run a month in seconds; the calendar then stays ahead of the clock);
    otherwise 409 ``period_not_ended``. Seal markers are published on every partition of the
    click topic after the period's last click there.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SealResult
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[Problem | SealResult]:
    """Seal Current Period

     Operators: seal the open period once its month has ended, without waiting for the scheduler.

    Before the month's end only with the click-ledger's demo setting ``TRICKLE_DEMO_CALENDAR``
    (how demos and tests run a month in seconds; the calendar then stays ahead of the clock);
    otherwise 409 ``period_not_ended``. Seal markers are published on every partition of the
    click topic after the period's last click there.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SealResult]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> Problem | SealResult | None:
    """Seal Current Period

     Operators: seal the open period once its month has ended, without waiting for the scheduler.

    Before the month's end only with the click-ledger's demo setting ``TRICKLE_DEMO_CALENDAR``
    (how demos and tests run a month in seconds; the calendar then stays ahead of the clock);
    otherwise 409 ``period_not_ended``. Seal markers are published on every partition of the
    click topic after the period's last click there.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SealResult
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
