from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.authorization_request_info import AuthorizationRequestInfo
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    response_type: None | str | Unset = UNSET,
    client_id: None | str | Unset = UNSET,
    redirect_uri: None | str | Unset = UNSET,
    scope: None | str | Unset = UNSET,
    code_challenge: None | str | Unset = UNSET,
    code_challenge_method: None | str | Unset = UNSET,
    state: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_response_type: None | str | Unset
    if isinstance(response_type, Unset):
        json_response_type = UNSET
    else:
        json_response_type = response_type
    params["response_type"] = json_response_type

    json_client_id: None | str | Unset
    if isinstance(client_id, Unset):
        json_client_id = UNSET
    else:
        json_client_id = client_id
    params["client_id"] = json_client_id

    json_redirect_uri: None | str | Unset
    if isinstance(redirect_uri, Unset):
        json_redirect_uri = UNSET
    else:
        json_redirect_uri = redirect_uri
    params["redirect_uri"] = json_redirect_uri

    json_scope: None | str | Unset
    if isinstance(scope, Unset):
        json_scope = UNSET
    else:
        json_scope = scope
    params["scope"] = json_scope

    json_code_challenge: None | str | Unset
    if isinstance(code_challenge, Unset):
        json_code_challenge = UNSET
    else:
        json_code_challenge = code_challenge
    params["code_challenge"] = json_code_challenge

    json_code_challenge_method: None | str | Unset
    if isinstance(code_challenge_method, Unset):
        json_code_challenge_method = UNSET
    else:
        json_code_challenge_method = code_challenge_method
    params["code_challenge_method"] = json_code_challenge_method

    json_state: None | str | Unset
    if isinstance(state, Unset):
        json_state = UNSET
    else:
        json_state = state
    params["state"] = json_state

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/oauth/authorization-requests",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AuthorizationRequestInfo | Problem | None:
    if response.status_code == 200:
        response_200 = AuthorizationRequestInfo.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

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
) -> Response[AuthorizationRequestInfo | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    response_type: None | str | Unset = UNSET,
    client_id: None | str | Unset = UNSET,
    redirect_uri: None | str | Unset = UNSET,
    scope: None | str | Unset = UNSET,
    code_challenge: None | str | Unset = UNSET,
    code_challenge_method: None | str | Unset = UNSET,
    state: None | str | Unset = UNSET,
) -> Response[AuthorizationRequestInfo | Problem]:
    """Get Authorization Request

     Check an app's authorization request (the query it sent the browser with) for the consent page:
    the app, the exact redirect URI and the scopes in words; a 400 problem naming what is wrong (no
    redirect).

    Args:
        response_type (None | str | Unset):
        client_id (None | str | Unset):
        redirect_uri (None | str | Unset):
        scope (None | str | Unset):
        code_challenge (None | str | Unset):
        code_challenge_method (None | str | Unset):
        state (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuthorizationRequestInfo | Problem]
    """

    kwargs = _get_kwargs(
        response_type=response_type,
        client_id=client_id,
        redirect_uri=redirect_uri,
        scope=scope,
        code_challenge=code_challenge,
        code_challenge_method=code_challenge_method,
        state=state,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    response_type: None | str | Unset = UNSET,
    client_id: None | str | Unset = UNSET,
    redirect_uri: None | str | Unset = UNSET,
    scope: None | str | Unset = UNSET,
    code_challenge: None | str | Unset = UNSET,
    code_challenge_method: None | str | Unset = UNSET,
    state: None | str | Unset = UNSET,
) -> AuthorizationRequestInfo | Problem | None:
    """Get Authorization Request

     Check an app's authorization request (the query it sent the browser with) for the consent page:
    the app, the exact redirect URI and the scopes in words; a 400 problem naming what is wrong (no
    redirect).

    Args:
        response_type (None | str | Unset):
        client_id (None | str | Unset):
        redirect_uri (None | str | Unset):
        scope (None | str | Unset):
        code_challenge (None | str | Unset):
        code_challenge_method (None | str | Unset):
        state (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuthorizationRequestInfo | Problem
    """

    return sync_detailed(
        client=client,
        response_type=response_type,
        client_id=client_id,
        redirect_uri=redirect_uri,
        scope=scope,
        code_challenge=code_challenge,
        code_challenge_method=code_challenge_method,
        state=state,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    response_type: None | str | Unset = UNSET,
    client_id: None | str | Unset = UNSET,
    redirect_uri: None | str | Unset = UNSET,
    scope: None | str | Unset = UNSET,
    code_challenge: None | str | Unset = UNSET,
    code_challenge_method: None | str | Unset = UNSET,
    state: None | str | Unset = UNSET,
) -> Response[AuthorizationRequestInfo | Problem]:
    """Get Authorization Request

     Check an app's authorization request (the query it sent the browser with) for the consent page:
    the app, the exact redirect URI and the scopes in words; a 400 problem naming what is wrong (no
    redirect).

    Args:
        response_type (None | str | Unset):
        client_id (None | str | Unset):
        redirect_uri (None | str | Unset):
        scope (None | str | Unset):
        code_challenge (None | str | Unset):
        code_challenge_method (None | str | Unset):
        state (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuthorizationRequestInfo | Problem]
    """

    kwargs = _get_kwargs(
        response_type=response_type,
        client_id=client_id,
        redirect_uri=redirect_uri,
        scope=scope,
        code_challenge=code_challenge,
        code_challenge_method=code_challenge_method,
        state=state,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    response_type: None | str | Unset = UNSET,
    client_id: None | str | Unset = UNSET,
    redirect_uri: None | str | Unset = UNSET,
    scope: None | str | Unset = UNSET,
    code_challenge: None | str | Unset = UNSET,
    code_challenge_method: None | str | Unset = UNSET,
    state: None | str | Unset = UNSET,
) -> AuthorizationRequestInfo | Problem | None:
    """Get Authorization Request

     Check an app's authorization request (the query it sent the browser with) for the consent page:
    the app, the exact redirect URI and the scopes in words; a 400 problem naming what is wrong (no
    redirect).

    Args:
        response_type (None | str | Unset):
        client_id (None | str | Unset):
        redirect_uri (None | str | Unset):
        scope (None | str | Unset):
        code_challenge (None | str | Unset):
        code_challenge_method (None | str | Unset):
        state (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuthorizationRequestInfo | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            response_type=response_type,
            client_id=client_id,
            redirect_uri=redirect_uri,
            scope=scope,
            code_challenge=code_challenge,
            code_challenge_method=code_challenge_method,
            state=state,
        )
    ).parsed
