from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.claim_verification import ClaimVerification
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    claim_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/claims/{claim_id}/verify".format(
            claim_id=quote(str(claim_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ClaimVerification | Problem | None:
    if response.status_code == 200:
        response_200 = ClaimVerification.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ClaimVerification | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    claim_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[ClaimVerification | Problem]:
    """Verify Claim

     Fetch the proof from the site; when it holds the token, every thing under the claim becomes yours
    (unclaimed ones with their escrow, whoever registered them, and ones owned without proof).

    The fetch refuses private and loop-back addresses (422 ``verification_target_refused``).
    409 ``domain_claimed`` when another account verified an overlapping claim meanwhile.

    Args:
        claim_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ClaimVerification | Problem]
    """

    kwargs = _get_kwargs(
        claim_id=claim_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    claim_id: str,
    *,
    client: AuthenticatedClient,
) -> ClaimVerification | Problem | None:
    """Verify Claim

     Fetch the proof from the site; when it holds the token, every thing under the claim becomes yours
    (unclaimed ones with their escrow, whoever registered them, and ones owned without proof).

    The fetch refuses private and loop-back addresses (422 ``verification_target_refused``).
    409 ``domain_claimed`` when another account verified an overlapping claim meanwhile.

    Args:
        claim_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ClaimVerification | Problem
    """

    return sync_detailed(
        claim_id=claim_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    claim_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[ClaimVerification | Problem]:
    """Verify Claim

     Fetch the proof from the site; when it holds the token, every thing under the claim becomes yours
    (unclaimed ones with their escrow, whoever registered them, and ones owned without proof).

    The fetch refuses private and loop-back addresses (422 ``verification_target_refused``).
    409 ``domain_claimed`` when another account verified an overlapping claim meanwhile.

    Args:
        claim_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ClaimVerification | Problem]
    """

    kwargs = _get_kwargs(
        claim_id=claim_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    claim_id: str,
    *,
    client: AuthenticatedClient,
) -> ClaimVerification | Problem | None:
    """Verify Claim

     Fetch the proof from the site; when it holds the token, every thing under the claim becomes yours
    (unclaimed ones with their escrow, whoever registered them, and ones owned without proof).

    The fetch refuses private and loop-back addresses (422 ``verification_target_refused``).
    409 ``domain_claimed`` when another account verified an overlapping claim meanwhile.

    Args:
        claim_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ClaimVerification | Problem
    """

    return (
        await asyncio_detailed(
            claim_id=claim_id,
            client=client,
        )
    ).parsed
