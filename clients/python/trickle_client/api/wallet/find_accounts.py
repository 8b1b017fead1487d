from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.account_list import AccountList
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    email: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_email: None | str | Unset
    if isinstance(email, Unset):
        json_email = UNSET
    else:
        json_email = email
    params["email"] = json_email

    json_q: None | str | Unset
    if isinstance(q, Unset):
        json_q = UNSET
    else:
        json_q = q
    params["q"] = json_q

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
        "url": "/v1/accounts",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AccountList | Problem | None:
    if response.status_code == 200:
        response_200 = AccountList.from_dict(response.json())

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
) -> Response[AccountList | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    email: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
) -> Response[AccountList | Problem]:
    """Find Accounts

     Operators only: find accounts by email or by part of their id, name or email (all accounts when
    neither).

    Args:
        email (None | str | Unset): Exact email (any case)
        q (None | str | Unset): Part of the id, display name or email
        limit (int | Unset): How many items at most Default: 20.
        starting_after (None | str | Unset): The last id of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountList | Problem]
    """

    kwargs = _get_kwargs(
        email=email,
        q=q,
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
    email: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
) -> AccountList | Problem | None:
    """Find Accounts

     Operators only: find accounts by email or by part of their id, name or email (all accounts when
    neither).

    Args:
        email (None | str | Unset): Exact email (any case)
        q (None | str | Unset): Part of the id, display name or email
        limit (int | Unset): How many items at most Default: 20.
        starting_after (None | str | Unset): The last id of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountList | Problem
    """

    return sync_detailed(
        client=client,
        email=email,
        q=q,
        limit=limit,
        starting_after=starting_after,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    email: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
) -> Response[AccountList | Problem]:
    """Find Accounts

     Operators only: find accounts by email or by part of their id, name or email (all accounts when
    neither).

    Args:
        email (None | str | Unset): Exact email (any case)
        q (None | str | Unset): Part of the id, display name or email
        limit (int | Unset): How many items at most Default: 20.
        starting_after (None | str | Unset): The last id of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountList | Problem]
    """

    kwargs = _get_kwargs(
        email=email,
        q=q,
        limit=limit,
        starting_after=starting_after,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    email: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
) -> AccountList | Problem | None:
    """Find Accounts

     Operators only: find accounts by email or by part of their id, name or email (all accounts when
    neither).

    Args:
        email (None | str | Unset): Exact email (any case)
        q (None | str | Unset): Part of the id, display name or email
        limit (int | Unset): How many items at most Default: 20.
        starting_after (None | str | Unset): The last id of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountList | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            email=email,
            q=q,
            limit=limit,
            starting_after=starting_after,
        )
    ).parsed
