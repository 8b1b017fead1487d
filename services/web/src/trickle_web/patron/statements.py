"""/statements: the patron's ledger lines (every movement of their money, as the book of record
has it), page by page, and the whole statement as CSV (fetched with the person's token: a
plain link to the API could not carry it)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response
from trickle_client.api.settlement import export_statement_csv, get_statement

from trickle_web.routing import page_router
from trickle_web.sessions.browser import browser
from trickle_web.templating import render
from trickle_web.upstream import api, call, parsed

router = page_router()
PAGE = 50


@router.get("/statements")
async def statements_page(request: Request, after: str = "") -> Response:
    client = await api(request)
    account_id = browser(request).account_id
    assert account_id is not None
    kwargs: dict[str, Any] = {"client": client, "limit": PAGE}
    if after:
        kwargs["starting_after"] = after[:100]
    statement = parsed(await call(get_statement.asyncio_detailed, account_id, **kwargs), 200)
    return await render(request, "patron/statements.html", {"statement": statement, "after": after})


@router.get("/statements.csv")
async def statement_csv(request: Request) -> Response:
    client = await api(request)
    account_id = browser(request).account_id
    assert account_id is not None
    answer = await call(export_statement_csv.asyncio_detailed, account_id, client=client)
    if answer.status_code != 200:
        return await render(request, "error.html", {"status": 404, "detail": "No statement to export."}, 404)
    return Response(
        answer.content,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="trickle-statement-{account_id}.csv"',
            "Cache-Control": "no-store",
        },
    )
