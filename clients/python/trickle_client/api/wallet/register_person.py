from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.person_create import PersonCreate
from ...models.person_registered import PersonRegistered
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: PersonCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/people",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PersonRegistered | Problem | None:
    if response.status_code == 201:
        response_201 = PersonRegistered.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

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
) -> Response[PersonRegistered | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PersonCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[PersonRegistered | Problem]:
    """Register Person

     Sign up (no token needed): a person's account with an email and a password. A mail with a link to
    confirm the address is sent; signing in works once it is confirmed. 409 ``email_taken`` if the
    address
    has an account; 422 names the field of a weak password (10 to 128 characters, not the email) or a
    bad
    address.

    Args:
        idempotency_key (None | str | Unset): Makes the request safe to retry: the same key and
            body return the first response.
        body (PersonCreate): Sign up with an email address and a password: a person's account,
            signed in to with the password once the
            address is confirmed (the link in the mail).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PersonRegistered | Problem]
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
    client: AuthenticatedClient | Client,
    body: PersonCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> PersonRegistered | Problem | None:
    """Register Person

     Sign up (no token needed): a person's account with an email and a password. A mail with a link to
    confirm the address is sent; signing in works once it is confirmed. 409 ``email_taken`` if the
    address
    has an account; 422 names the field of a weak password (10 to 128 characters, not the email) or a
    bad
    address.

    Args:
        idempotency_key (None | str | Unset): Makes the request safe to retry: the same key and
            body return the first response.
        body (PersonCreate): Sign up with an email address and a password: a person's account,
            signed in to with the password once the
            address is confirmed (the link in the mail).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PersonRegistered | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PersonCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[PersonRegistered | Problem]:
    """Register Person

     Sign up (no token needed): a person's account with an email and a password. A mail with a link to
    confirm the address is sent; signing in works once it is confirmed. 409 ``email_taken`` if the
    address
    has an account; 422 names the field of a weak password (10 to 128 characters, not the email) or a
    bad
    address.

    Args:
        idempotency_key (None | str | Unset): Makes the request safe to retry: the same key and
            body return the first response.
        body (PersonCreate): Sign up with an email address and a password: a person's account,
            signed in to with the password once the
            address is confirmed (the link in the mail).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PersonRegistered | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: PersonCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> PersonRegistered | Problem | None:
    """Register Person

     Sign up (no token needed): a person's account with an email and a password. A mail with a link to
    confirm the address is sent; signing in works once it is confirmed. 409 ``email_taken`` if the
    address
    has an account; 422 names the field of a weak password (10 to 128 characters, not the email) or a
    bad
    address.

    Args:
        idempotency_key (None | str | Unset): Makes the request safe to retry: the same key and
            body return the first response.
        body (PersonCreate): Sign up with an email address and a password: a person's account,
            signed in to with the password once the
            address is confirmed (the link in the mail).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PersonRegistered | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
