import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.fee_reconciliation import FeeReconciliation
from ...models.problem import Problem
from ...types import UNSET, Response


def _get_kwargs(
    *,
    day: datetime.date,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_day = day.isoformat()
    params["day"] = json_day

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/providers/fees",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> FeeReconciliation | Problem | None:
    if response.status_code == 200:
        response_200 = FeeReconciliation.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
) -> Response[FeeReconciliation | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    day: datetime.date,
) -> Response[FeeReconciliation | Problem]:
    """Reconcile a day's provider fees against the fees the wallet recorded

     Operators only. The provider's fee report for `day` against the fees of the deposits made with it
    that
    day (UTC, by creation) that succeeded. Differences are reported, and logged, but no money moves.

    Args:
        day (datetime.date): The UTC day, YYYY-MM-DD

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FeeReconciliation | Problem]
    """

    kwargs = _get_kwargs(
        day=day,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    day: datetime.date,
) -> FeeReconciliation | Problem | None:
    """Reconcile a day's provider fees against the fees the wallet recorded

     Operators only. The provider's fee report for `day` against the fees of the deposits made with it
    that
    day (UTC, by creation) that succeeded. Differences are reported, and logged, but no money moves.

    Args:
        day (datetime.date): The UTC day, YYYY-MM-DD

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FeeReconciliation | Problem
    """

    return sync_detailed(
        client=client,
        day=day,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    day: datetime.date,
) -> Response[FeeReconciliation | Problem]:
    """Reconcile a day's provider fees against the fees the wallet recorded

     Operators only. The provider's fee report for `day` against the fees of the deposits made with it
    that
    day (UTC, by creation) that succeeded. Differences are reported, and logged, but no money moves.

    Args:
        day (datetime.date): The UTC day, YYYY-MM-DD

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FeeReconciliation | Problem]
    """

    kwargs = _get_kwargs(
        day=day,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    day: datetime.date,
) -> FeeReconciliation | Problem | None:
    """Reconcile a day's provider fees against the fees the wallet recorded

     Operators only. The provider's fee report for `day` against the fees of the deposits made with it
    that
    day (UTC, by creation) that succeeded. Differences are reported, and logged, but no money moves.

    Args:
        day (datetime.date): The UTC day, YYYY-MM-DD

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FeeReconciliation | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            day=day,
        )
    ).parsed
