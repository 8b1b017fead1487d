import datetime
from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.export_statement_csv_kind_type_0 import (
    ExportStatementCsvKindType0,
)
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    account_id: str,
    *,
    kind: ExportStatementCsvKindType0 | None | Unset = UNSET,
    posted_from: datetime.datetime | None | Unset = UNSET,
    posted_before: datetime.datetime | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_kind: None | str | Unset
    if isinstance(kind, Unset):
        json_kind = UNSET
    elif isinstance(kind, str):
        json_kind = kind
    else:
        json_kind = kind
    params["kind"] = json_kind

    json_posted_from: None | str | Unset
    if isinstance(posted_from, Unset):
        json_posted_from = UNSET
    elif isinstance(posted_from, datetime.datetime):
        json_posted_from = posted_from.isoformat()
    else:
        json_posted_from = posted_from
    params["posted_from"] = json_posted_from

    json_posted_before: None | str | Unset
    if isinstance(posted_before, Unset):
        json_posted_before = UNSET
    elif isinstance(posted_before, datetime.datetime):
        json_posted_before = posted_before.isoformat()
    else:
        json_posted_before = posted_before
    params["posted_before"] = json_posted_before

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/ledger/accounts/{account_id}/statement.csv".format(
            account_id=quote(str(account_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | None:
    if response.status_code == 200:
        response_200 = cast(Any, None)
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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem]:
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
    kind: ExportStatementCsvKindType0 | None | Unset = UNSET,
    posted_from: datetime.datetime | None | Unset = UNSET,
    posted_before: datetime.datetime | None | Unset = UNSET,
) -> Response[Any | Problem]:
    """Export Statement Csv

     The whole statement as CSV (amounts in minor units, natural sign).

    Args:
        account_id (str): An account id (acct_…: all its ledger accounts) or one ledger account
            (operators)
        kind (ExportStatementCsvKindType0 | None | Unset): Only this kind of ledger account
        posted_from (datetime.datetime | None | Unset): Lines posted at or after this instant (UTC
            when it has no offset)
        posted_before (datetime.datetime | None | Unset): Lines posted before this instant (UTC
            when it has no offset)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        kind=kind,
        posted_from=posted_from,
        posted_before=posted_before,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    account_id: str,
    *,
    client: AuthenticatedClient,
    kind: ExportStatementCsvKindType0 | None | Unset = UNSET,
    posted_from: datetime.datetime | None | Unset = UNSET,
    posted_before: datetime.datetime | None | Unset = UNSET,
) -> Any | Problem | None:
    """Export Statement Csv

     The whole statement as CSV (amounts in minor units, natural sign).

    Args:
        account_id (str): An account id (acct_…: all its ledger accounts) or one ledger account
            (operators)
        kind (ExportStatementCsvKindType0 | None | Unset): Only this kind of ledger account
        posted_from (datetime.datetime | None | Unset): Lines posted at or after this instant (UTC
            when it has no offset)
        posted_before (datetime.datetime | None | Unset): Lines posted before this instant (UTC
            when it has no offset)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return sync_detailed(
        account_id=account_id,
        client=client,
        kind=kind,
        posted_from=posted_from,
        posted_before=posted_before,
    ).parsed


async def asyncio_detailed(
    account_id: str,
    *,
    client: AuthenticatedClient,
    kind: ExportStatementCsvKindType0 | None | Unset = UNSET,
    posted_from: datetime.datetime | None | Unset = UNSET,
    posted_before: datetime.datetime | None | Unset = UNSET,
) -> Response[Any | Problem]:
    """Export Statement Csv

     The whole statement as CSV (amounts in minor units, natural sign).

    Args:
        account_id (str): An account id (acct_…: all its ledger accounts) or one ledger account
            (operators)
        kind (ExportStatementCsvKindType0 | None | Unset): Only this kind of ledger account
        posted_from (datetime.datetime | None | Unset): Lines posted at or after this instant (UTC
            when it has no offset)
        posted_before (datetime.datetime | None | Unset): Lines posted before this instant (UTC
            when it has no offset)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        kind=kind,
        posted_from=posted_from,
        posted_before=posted_before,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    account_id: str,
    *,
    client: AuthenticatedClient,
    kind: ExportStatementCsvKindType0 | None | Unset = UNSET,
    posted_from: datetime.datetime | None | Unset = UNSET,
    posted_before: datetime.datetime | None | Unset = UNSET,
) -> Any | Problem | None:
    """Export Statement Csv

     The whole statement as CSV (amounts in minor units, natural sign).

    Args:
        account_id (str): An account id (acct_…: all its ledger accounts) or one ledger account
            (operators)
        kind (ExportStatementCsvKindType0 | None | Unset): Only this kind of ledger account
        posted_from (datetime.datetime | None | Unset): Lines posted at or after this instant (UTC
            when it has no offset)
        posted_before (datetime.datetime | None | Unset): Lines posted before this instant (UTC
            when it has no offset)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return (
        await asyncio_detailed(
            account_id=account_id,
            client=client,
            kind=kind,
            posted_from=posted_from,
            posted_before=posted_before,
        )
    ).parsed
