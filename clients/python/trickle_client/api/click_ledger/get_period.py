from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.period import Period
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    period_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/periods/{period_id}/calendar".format(
            period_id=quote(str(period_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Period | Problem | None:
    if response.status_code == 200:
        response_200 = Period.from_dict(response.json())

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Period | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    period_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[Period | Problem]:
    """Get Period

     One period of the calendar: open or sealed, when it opened, sealed and ends.

    Args:
        period_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Period | Problem]
    """

    kwargs = _get_kwargs(
        period_id=period_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    period_id: str,
    *,
    client: AuthenticatedClient,
) -> Period | Problem | None:
    """Get Period

     One period of the calendar: open or sealed, when it opened, sealed and ends.

    Args:
        period_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Period | Problem
    """

    return sync_detailed(
        period_id=period_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    period_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[Period | Problem]:
    """Get Period

     One period of the calendar: open or sealed, when it opened, sealed and ends.

    Args:
        period_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Period | Problem]
    """

    kwargs = _get_kwargs(
        period_id=period_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    period_id: str,
    *,
    client: AuthenticatedClient,
) -> Period | Problem | None:
    """Get Period

     One period of the calendar: open or sealed, when it opened, sealed and ends.

    Args:
        period_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Period | Problem
    """

    return (
        await asyncio_detailed(
            period_id=period_id,
            client=client,
        )
    ).parsed
