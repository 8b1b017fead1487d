from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.creator_profile import CreatorProfile
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    account_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/creators/{account_id}".format(
            account_id=quote(str(account_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CreatorProfile | Problem | None:
    if response.status_code == 200:
        response_200 = CreatorProfile.from_dict(response.json())

        return response_200

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CreatorProfile | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    account_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[CreatorProfile | Problem]:
    """A creator's public profile

     The creator's things with their click counts, and the patrons who support them publicly
    (only patrons who give publicly, by their current choice). Public: what anybody may see. An
    account that owns nothing, or none at all, has an empty profile: it does not tell whether an
    account exists.

    Args:
        account_id (str): An account id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreatorProfile | Problem]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    account_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> CreatorProfile | Problem | None:
    """A creator's public profile

     The creator's things with their click counts, and the patrons who support them publicly
    (only patrons who give publicly, by their current choice). Public: what anybody may see. An
    account that owns nothing, or none at all, has an empty profile: it does not tell whether an
    account exists.

    Args:
        account_id (str): An account id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreatorProfile | Problem
    """

    return sync_detailed(
        account_id=account_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    account_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[CreatorProfile | Problem]:
    """A creator's public profile

     The creator's things with their click counts, and the patrons who support them publicly
    (only patrons who give publicly, by their current choice). Public: what anybody may see. An
    account that owns nothing, or none at all, has an empty profile: it does not tell whether an
    account exists.

    Args:
        account_id (str): An account id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreatorProfile | Problem]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    account_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> CreatorProfile | Problem | None:
    """A creator's public profile

     The creator's things with their click counts, and the patrons who support them publicly
    (only patrons who give publicly, by their current choice). Public: what anybody may see. An
    account that owns nothing, or none at all, has an empty profile: it does not tell whether an
    account exists.

    Args:
        account_id (str): An account id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreatorProfile | Problem
    """

    return (
        await asyncio_detailed(
            account_id=account_id,
            client=client,
        )
    ).parsed
