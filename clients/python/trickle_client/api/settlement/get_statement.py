import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_statement_format import GetStatementFormat
from ...models.get_statement_kind_type_0 import GetStatementKindType0
from ...models.problem import Problem
from ...models.statement import Statement
from ...types import UNSET, Response, Unset


def _get_kwargs(
    account_id: str,
    *,
    limit: int | Unset = 50,
    starting_after: None | str | Unset = UNSET,
    kind: GetStatementKindType0 | None | Unset = UNSET,
    posted_from: datetime.datetime | None | Unset = UNSET,
    posted_before: datetime.datetime | None | Unset = UNSET,
    format_: GetStatementFormat | Unset = "json",
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_starting_after: None | str | Unset
    if isinstance(starting_after, Unset):
        json_starting_after = UNSET
    else:
        json_starting_after = starting_after
    params["starting_after"] = json_starting_after

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

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_

    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/ledger/accounts/{account_id}/statement".format(
            account_id=quote(str(account_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Statement | None:
    if response.status_code == 200:
        response_200 = Statement.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Statement]:
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
    limit: int | Unset = 50,
    starting_after: None | str | Unset = UNSET,
    kind: GetStatementKindType0 | None | Unset = UNSET,
    posted_from: datetime.datetime | None | Unset = UNSET,
    posted_before: datetime.datetime | None | Unset = UNSET,
    format_: GetStatementFormat | Unset = "json",
) -> Response[Problem | Statement]:
    """Get Statement

     An account's statement, oldest line first, with the balance after each line.

    Args:
        account_id (str): An account id (acct_…: all its ledger accounts) or one ledger account
            (operators)
        limit (int | Unset): How many lines at most Default: 50.
        starting_after (None | str | Unset): The last line id of the previous page
        kind (GetStatementKindType0 | None | Unset): Only this kind of ledger account
        posted_from (datetime.datetime | None | Unset): Lines posted at or after this instant (UTC
            when it has no offset)
        posted_before (datetime.datetime | None | Unset): Lines posted before this instant (UTC
            when it has no offset)
        format_ (GetStatementFormat | Unset): csv: the whole statement as CSV Default: 'json'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Statement]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        limit=limit,
        starting_after=starting_after,
        kind=kind,
        posted_from=posted_from,
        posted_before=posted_before,
        format_=format_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    account_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    starting_after: None | str | Unset = UNSET,
    kind: GetStatementKindType0 | None | Unset = UNSET,
    posted_from: datetime.datetime | None | Unset = UNSET,
    posted_before: datetime.datetime | None | Unset = UNSET,
    format_: GetStatementFormat | Unset = "json",
) -> Problem | Statement | None:
    """Get Statement

     An account's statement, oldest line first, with the balance after each line.

    Args:
        account_id (str): An account id (acct_…: all its ledger accounts) or one ledger account
            (operators)
        limit (int | Unset): How many lines at most Default: 50.
        starting_after (None | str | Unset): The last line id of the previous page
        kind (GetStatementKindType0 | None | Unset): Only this kind of ledger account
        posted_from (datetime.datetime | None | Unset): Lines posted at or after this instant (UTC
            when it has no offset)
        posted_before (datetime.datetime | None | Unset): Lines posted before this instant (UTC
            when it has no offset)
        format_ (GetStatementFormat | Unset): csv: the whole statement as CSV Default: 'json'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Statement
    """

    return sync_detailed(
        account_id=account_id,
        client=client,
        limit=limit,
        starting_after=starting_after,
        kind=kind,
        posted_from=posted_from,
        posted_before=posted_before,
        format_=format_,
    ).parsed


async def asyncio_detailed(
    account_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    starting_after: None | str | Unset = UNSET,
    kind: GetStatementKindType0 | None | Unset = UNSET,
    posted_from: datetime.datetime | None | Unset = UNSET,
    posted_before: datetime.datetime | None | Unset = UNSET,
    format_: GetStatementFormat | Unset = "json",
) -> Response[Problem | Statement]:
    """Get Statement

     An account's statement, oldest line first, with the balance after each line.

    Args:
        account_id (str): An account id (acct_…: all its ledger accounts) or one ledger account
            (operators)
        limit (int | Unset): How many lines at most Default: 50.
        starting_after (None | str | Unset): The last line id of the previous page
        kind (GetStatementKindType0 | None | Unset): Only this kind of ledger account
        posted_from (datetime.datetime | None | Unset): Lines posted at or after this instant (UTC
            when it has no offset)
        posted_before (datetime.datetime | None | Unset): Lines posted before this instant (UTC
            when it has no offset)
        format_ (GetStatementFormat | Unset): csv: the whole statement as CSV Default: 'json'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Statement]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        limit=limit,
        starting_after=starting_after,
        kind=kind,
        posted_from=posted_from,
        posted_before=posted_before,
        format_=format_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    account_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    starting_after: None | str | Unset = UNSET,
    kind: GetStatementKindType0 | None | Unset = UNSET,
    posted_from: datetime.datetime | None | Unset = UNSET,
    posted_before: datetime.datetime | None | Unset = UNSET,
    format_: GetStatementFormat | Unset = "json",
) -> Problem | Statement | None:
    """Get Statement

     An account's statement, oldest line first, with the balance after each line.

    Args:
        account_id (str): An account id (acct_…: all its ledger accounts) or one ledger account
            (operators)
        limit (int | Unset): How many lines at most Default: 50.
        starting_after (None | str | Unset): The last line id of the previous page
        kind (GetStatementKindType0 | None | Unset): Only this kind of ledger account
        posted_from (datetime.datetime | None | Unset): Lines posted at or after this instant (UTC
            when it has no offset)
        posted_before (datetime.datetime | None | Unset): Lines posted before this instant (UTC
            when it has no offset)
        format_ (GetStatementFormat | Unset): csv: the whole statement as CSV Default: 'json'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Statement
    """

    return (
        await asyncio_detailed(
            account_id=account_id,
            client=client,
            limit=limit,
            starting_after=starting_after,
            kind=kind,
            posted_from=posted_from,
            posted_before=posted_before,
            format_=format_,
        )
    ).parsed
