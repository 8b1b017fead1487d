from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.callback_ack import CallbackAck
from ...models.problem import Problem
from ...models.receive_sandbox_callback_body import ReceiveSandboxCallbackBody
from ...types import Response


def _get_kwargs(
    *,
    body: ReceiveSandboxCallbackBody,
    sandbox_signature: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Sandbox-Signature"] = sandbox_signature

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/providers/sandbox/callbacks",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CallbackAck | Problem | None:
    if response.status_code == 200:
        response_200 = CallbackAck.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CallbackAck | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ReceiveSandboxCallbackBody,
    sandbox_signature: str,
) -> Response[CallbackAck | Problem]:
    """Sandbox provider callback (HMAC-signed; not for API clients)

    Args:
        sandbox_signature (str):
        body (ReceiveSandboxCallbackBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CallbackAck | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        sandbox_signature=sandbox_signature,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: ReceiveSandboxCallbackBody,
    sandbox_signature: str,
) -> CallbackAck | Problem | None:
    """Sandbox provider callback (HMAC-signed; not for API clients)

    Args:
        sandbox_signature (str):
        body (ReceiveSandboxCallbackBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CallbackAck | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        sandbox_signature=sandbox_signature,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ReceiveSandboxCallbackBody,
    sandbox_signature: str,
) -> Response[CallbackAck | Problem]:
    """Sandbox provider callback (HMAC-signed; not for API clients)

    Args:
        sandbox_signature (str):
        body (ReceiveSandboxCallbackBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CallbackAck | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        sandbox_signature=sandbox_signature,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ReceiveSandboxCallbackBody,
    sandbox_signature: str,
) -> CallbackAck | Problem | None:
    """Sandbox provider callback (HMAC-signed; not for API clients)

    Args:
        sandbox_signature (str):
        body (ReceiveSandboxCallbackBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CallbackAck | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            sandbox_signature=sandbox_signature,
        )
    ).parsed
