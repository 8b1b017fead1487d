from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.authorized_app_list import AuthorizedAppList
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    account_id: str,
    *,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

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
        "url": "/v1/accounts/{account_id}/authorized-apps".format(
            account_id=quote(str(account_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AuthorizedAppList | Problem | None:
    if response.status_code == 200:
        response_200 = AuthorizedAppList.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[AuthorizedAppList | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    account_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
) -> Response[AuthorizedAppList | Problem]:
    """List Authorized Apps

     The third-party apps the account authorized and has not revoked.

    Args:
        account_id (str): An account id
        limit (int | Unset): How many items at most Default: 20.
        starting_after (None | str | Unset): The last id of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuthorizedAppList | Problem]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        limit=limit,
        starting_after=starting_after,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    account_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
) -> AuthorizedAppList | Problem | None:
    """List Authorized Apps

     The third-party apps the account authorized and has not revoked.

    Args:
        account_id (str): An account id
        limit (int | Unset): How many items at most Default: 20.
        starting_after (None | str | Unset): The last id of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuthorizedAppList | Problem
    """

    return sync_detailed(
        account_id=account_id,
        client=client,
        limit=limit,
        starting_after=starting_after,
    ).parsed


async def asyncio_detailed(
    account_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
) -> Response[AuthorizedAppList | Problem]:
    """List Authorized Apps

     The third-party apps the account authorized and has not revoked.

    Args:
        account_id (str): An account id
        limit (int | Unset): How many items at most Default: 20.
        starting_after (None | str | Unset): The last id of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuthorizedAppList | Problem]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        limit=limit,
        starting_after=starting_after,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    account_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
) -> AuthorizedAppList | Problem | None:
    """List Authorized Apps

     The third-party apps the account authorized and has not revoked.

    Args:
        account_id (str): An account id
        limit (int | Unset): How many items at most Default: 20.
        starting_after (None | str | Unset): The last id of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuthorizedAppList | Problem
    """

    return (
        await asyncio_detailed(
            account_id=account_id,
            client=client,
            limit=limit,
            starting_after=starting_after,
        )
    ).parsed
