from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.trial_balance import TrialBalance
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    verify: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["verify"] = verify

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/ledger/trial-balance",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | TrialBalance | None:
    if response.status_code == 200:
        response_200 = TrialBalance.from_dict(response.json())

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
) -> Response[Problem | TrialBalance]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    verify: bool | Unset = False,
) -> Response[Problem | TrialBalance]:
    """Get Trial Balance

     The trial balance (operators): debits equal credits in every currency.

    Args:
        verify (bool | Unset): Also recompute every balance from the postings Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TrialBalance]
    """

    kwargs = _get_kwargs(
        verify=verify,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    verify: bool | Unset = False,
) -> Problem | TrialBalance | None:
    """Get Trial Balance

     The trial balance (operators): debits equal credits in every currency.

    Args:
        verify (bool | Unset): Also recompute every balance from the postings Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TrialBalance
    """

    return sync_detailed(
        client=client,
        verify=verify,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    verify: bool | Unset = False,
) -> Response[Problem | TrialBalance]:
    """Get Trial Balance

     The trial balance (operators): debits equal credits in every currency.

    Args:
        verify (bool | Unset): Also recompute every balance from the postings Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TrialBalance]
    """

    kwargs = _get_kwargs(
        verify=verify,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    verify: bool | Unset = False,
) -> Problem | TrialBalance | None:
    """Get Trial Balance

     The trial balance (operators): debits equal credits in every currency.

    Args:
        verify (bool | Unset): Also recompute every balance from the postings Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TrialBalance
    """

    return (
        await asyncio_detailed(
            client=client,
            verify=verify,
        )
    ).parsed
