"""/clicks: this month's clicks, each with the share it would get if the month closed now."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from trickle_client import AuthenticatedClient
from trickle_client.api.click_ledger import get_current_period, get_thing, list_clicks
from trickle_client.api.wallet import get_balances, get_budget

from trickle_web.patron.shares import money_amount, preview
from trickle_web.routing import page_router
from trickle_web.sessions.browser import browser
from trickle_web.templating import render
from trickle_web.upstream import api, call, parsed

router = page_router()
PAGE = 100
MAX_CLICKS = 2000  # a month's page; more clicks than this are listed by the API, not here


async def period_clicks(client: AuthenticatedClient, period: str) -> list[Any]:
    clicks: list[Any] = []
    after: str | None = None
    while len(clicks) < MAX_CLICKS:
        kwargs: dict[str, Any] = {"client": client, "period": period, "limit": PAGE}
        if after:
            kwargs["starting_after"] = after
        page = parsed(await call(list_clicks.asyncio_detailed, **kwargs), 200)
        if page is None:
            break
        clicks.extend(page.data)
        if not page.has_more or not page.data:
            break
        after = page.data[-1].id
    return clicks


@router.get("/clicks")
async def clicks_page(request: Request) -> Response:
    client = await api(request)
    account_id = browser(request).account_id
    assert account_id is not None
    period = parsed(await call(get_current_period.asyncio_detailed, client=client), 200)
    clicks = await period_clicks(client, period.id) if period is not None else []
    budget = parsed(await call(get_budget.asyncio_detailed, account_id, client=client), 200)
    balances = parsed(await call(get_balances.asyncio_detailed, account_id, client=client), 200)
    available = money_amount(balances.wallet) if balances is not None else 0
    outcome = preview(clicks, budget, available or 0)
    thing_ids = sorted({c.thing_id for c in clicks})
    answers = await asyncio.gather(*(call(get_thing.asyncio_detailed, t, client=client) for t in thing_ids))
    titles = {t: found for t, a in zip(thing_ids, answers, strict=True) if (found := parsed(a, 200)) is not None}
    rows = [{"click": c, "thing": titles.get(c.thing_id), "share": outcome.shares.get(c.id, 0)} for c in clicks]
    context = {"period": period, "rows": rows, "preview": outcome, "budget": budget, "available": available}
    return await render(request, "patron/clicks.html", context)
