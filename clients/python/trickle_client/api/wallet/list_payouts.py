from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_payouts_status_type_0 import ListPayoutsStatusType0
from ...models.payout_list import PayoutList
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: ListPayoutsStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, str):
        json_status = status
    else:
        json_status = status
    params["status"] = json_status

    params["limit"] = limit

    json_starting_after: None | str | Unset
    if isinstance(starting_after, Unset):
        json_starting_after = UNSET
    else:
        json_starting_after = starting_after
    params["starting_after"] = json_starting_after

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/payouts",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PayoutList | Problem | None:
    if response.status_code == 200:
        response_200 = PayoutList.from_dict(response.json())

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PayoutList | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: ListPayoutsStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
) -> Response[PayoutList | Problem]:
    """List my payouts (operators: every account's)

    Args:
        status (ListPayoutsStatusType0 | None | Unset): Only payouts in this status
        limit (int | Unset): How many items at most Default: 20.
        starting_after (None | str | Unset): The last id of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PayoutList | Problem]
    """

    kwargs = _get_kwargs(
        status=status,
        limit=limit,
        starting_after=starting_after,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    status: ListPayoutsStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
) -> PayoutList | Problem | None:
    """List my payouts (operators: every account's)

    Args:
        status (ListPayoutsStatusType0 | None | Unset): Only payouts in this status
        limit (int | Unset): How many items at most Default: 20.
        starting_after (None | str | Unset): The last id of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PayoutList | Problem
    """

    return sync_detailed(
        client=client,
        status=status,
        limit=limit,
        starting_after=starting_after,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: ListPayoutsStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
) -> Response[PayoutList | Problem]:
    """List my payouts (operators: every account's)

    Args:
        status (ListPayoutsStatusType0 | None | Unset): Only payouts in this status
        limit (int | Unset): How many items at most Default: 20.
        starting_after (None | str | Unset): The last id of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PayoutList | Problem]
    """

    kwargs = _get_kwargs(
        status=status,
        limit=limit,
        starting_after=starting_after,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: ListPayoutsStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
) -> PayoutList | Problem | None:
    """List my payouts (operators: every account's)

    Args:
        status (ListPayoutsStatusType0 | None | Unset): Only payouts in this status
        limit (int | Unset): How many items at most Default: 20.
        starting_after (None | str | Unset): The last id of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PayoutList | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            limit=limit,
            starting_after=starting_after,
        )
    ).parsed
