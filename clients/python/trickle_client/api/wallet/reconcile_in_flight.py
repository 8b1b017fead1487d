from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.reconciliation import Reconciliation
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/providers/reconcile",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | Reconciliation | None:
    if response.status_code == 200:
        response_200 = Reconciliation.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | Reconciliation]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[Problem | Reconciliation]:
    """Finish deposits and payouts whose provider callback is overdue, from the provider's answer

     Operators only. Asks the payment provider about every deposit still `pending` longer than
    `reconcile_deposits_after_s` and every payout still `processing` longer than
    `reconcile_payouts_after_s`,
    and applies its final answers exactly as their callbacks would have been applied (a callback that
    arrives
    later changes nothing). The wallet worker does the same every `reconcile_interval_s`; this runs it
    once, now.
    Returns every order asked about and what became of it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Reconciliation]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> Problem | Reconciliation | None:
    """Finish deposits and payouts whose provider callback is overdue, from the provider's answer

     Operators only. Asks the payment provider about every deposit still `pending` longer than
    `reconcile_deposits_after_s` and every payout still `processing` longer than
    `reconcile_payouts_after_s`,
    and applies its final answers exactly as their callbacks would have been applied (a callback that
    arrives
    later changes nothing). The wallet worker does the same every `reconcile_interval_s`; this runs it
    once, now.
    Returns every order asked about and what became of it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Reconciliation
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[Problem | Reconciliation]:
    """Finish deposits and payouts whose provider callback is overdue, from the provider's answer

     Operators only. Asks the payment provider about every deposit still `pending` longer than
    `reconcile_deposits_after_s` and every payout still `processing` longer than
    `reconcile_payouts_after_s`,
    and applies its final answers exactly as their callbacks would have been applied (a callback that
    arrives
    later changes nothing). The wallet worker does the same every `reconcile_interval_s`; this runs it
    once, now.
    Returns every order asked about and what became of it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Reconciliation]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> Problem | Reconciliation | None:
    """Finish deposits and payouts whose provider callback is overdue, from the provider's answer

     Operators only. Asks the payment provider about every deposit still `pending` longer than
    `reconcile_deposits_after_s` and every payout still `processing` longer than
    `reconcile_payouts_after_s`,
    and applies its final answers exactly as their callbacks would have been applied (a callback that
    arrives
    later changes nothing). The wallet worker does the same every `reconcile_interval_s`; this runs it
    once, now.
    Returns every order asked about and what became of it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Reconciliation
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
