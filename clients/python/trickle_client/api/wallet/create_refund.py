from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.refund import Refund
from ...models.refund_create import RefundCreate
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: RefundCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/refunds",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Refund | None:
    if response.status_code == 202:
        response_202 = Refund.from_dict(response.json())

        return response_202

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Refund]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: RefundCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | Refund]:
    """Ask for the wallet's unspent balance back: the ledger reserves it, then the provider pays it back

     The holder (`wallet:write`) for their own account, or an operator for any. `amount` defaults to the
    whole
    unspent wallet balance; more than that is refused (422 `amount_above_balance`), an empty wallet is
    409
    `nothing_to_refund`. A suspended account may still have its money back; a deleted one is 409
    `account_deleted`.
    Earnings are not refunded: they are paid out (`POST /v1/payouts`).

    Args:
        idempotency_key (None | str | Unset): Makes the request safe to retry: the same key and
            body return the first response.
        body (RefundCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Refund]
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
    body: RefundCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | Refund | None:
    """Ask for the wallet's unspent balance back: the ledger reserves it, then the provider pays it back

     The holder (`wallet:write`) for their own account, or an operator for any. `amount` defaults to the
    whole
    unspent wallet balance; more than that is refused (422 `amount_above_balance`), an empty wallet is
    409
    `nothing_to_refund`. A suspended account may still have its money back; a deleted one is 409
    `account_deleted`.
    Earnings are not refunded: they are paid out (`POST /v1/payouts`).

    Args:
        idempotency_key (None | str | Unset): Makes the request safe to retry: the same key and
            body return the first response.
        body (RefundCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Refund
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: RefundCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | Refund]:
    """Ask for the wallet's unspent balance back: the ledger reserves it, then the provider pays it back

     The holder (`wallet:write`) for their own account, or an operator for any. `amount` defaults to the
    whole
    unspent wallet balance; more than that is refused (422 `amount_above_balance`), an empty wallet is
    409
    `nothing_to_refund`. A suspended account may still have its money back; a deleted one is 409
    `account_deleted`.
    Earnings are not refunded: they are paid out (`POST /v1/payouts`).

    Args:
        idempotency_key (None | str | Unset): Makes the request safe to retry: the same key and
            body return the first response.
        body (RefundCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Refund]
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
    body: RefundCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | Refund | None:
    """Ask for the wallet's unspent balance back: the ledger reserves it, then the provider pays it back

     The holder (`wallet:write`) for their own account, or an operator for any. `amount` defaults to the
    whole
    unspent wallet balance; more than that is refused (422 `amount_above_balance`), an empty wallet is
    409
    `nothing_to_refund`. A suspended account may still have its money back; a deleted one is 409
    `account_deleted`.
    Earnings are not refunded: they are paid out (`POST /v1/payouts`).

    Args:
        idempotency_key (None | str | Unset): Makes the request safe to retry: the same key and
            body return the first response.
        body (RefundCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Refund
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
