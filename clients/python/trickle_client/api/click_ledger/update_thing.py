from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.thing import Thing
from ...models.thing_update import ThingUpdate
from ...types import Response


def _get_kwargs(
    thing_id: str,
    *,
    body: ThingUpdate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/things/{thing_id}".format(
            thing_id=quote(str(thing_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Thing | None:
    if response.status_code == 200:
        response_200 = Thing.from_dict(response.json())

        return response_200

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

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Thing]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    thing_id: str,
    *,
    client: AuthenticatedClient,
    body: ThingUpdate,
) -> Response[Problem | Thing]:
    """Update Thing

     Change the title, category or weight of your thing.

    Args:
        thing_id (str):
        body (ThingUpdate): Change what you set on your thing (absent fields stay as they are).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Thing]
    """

    kwargs = _get_kwargs(
        thing_id=thing_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    thing_id: str,
    *,
    client: AuthenticatedClient,
    body: ThingUpdate,
) -> Problem | Thing | None:
    """Update Thing

     Change the title, category or weight of your thing.

    Args:
        thing_id (str):
        body (ThingUpdate): Change what you set on your thing (absent fields stay as they are).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Thing
    """

    return sync_detailed(
        thing_id=thing_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    thing_id: str,
    *,
    client: AuthenticatedClient,
    body: ThingUpdate,
) -> Response[Problem | Thing]:
    """Update Thing

     Change the title, category or weight of your thing.

    Args:
        thing_id (str):
        body (ThingUpdate): Change what you set on your thing (absent fields stay as they are).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Thing]
    """

    kwargs = _get_kwargs(
        thing_id=thing_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    thing_id: str,
    *,
    client: AuthenticatedClient,
    body: ThingUpdate,
) -> Problem | Thing | None:
    """Update Thing

     Change the title, category or weight of your thing.

    Args:
        thing_id (str):
        body (ThingUpdate): Change what you set on your thing (absent fields stay as they are).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Thing
    """

    return (
        await asyncio_detailed(
            thing_id=thing_id,
            client=client,
            body=body,
        )
    ).parsed
