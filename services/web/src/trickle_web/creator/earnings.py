"""/creator/earnings: what the creator earned (balances, the earnings statement) and payouts.

A payout request is money: its form carries an Idempotency-Key per render (a double submit is
one payout); a refused request shows the API's problem by its field with the amount kept.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from trickle_client.api.settlement import get_statement
from trickle_client.api.wallet import create_payout, get_balances, list_payouts
from trickle_client.models import PayoutCreate, PositiveMoney
from trickle_client.models.payout_create_sandbox_type_0 import check_payout_create_sandbox_type_0

from trickle_web.creator.calls import account_of
from trickle_web.forms import Form as PageForm
from trickle_web.forms import idempotency_key, problem_form
from trickle_web.money import AmountError, parse_amount
from trickle_web.routing import page_router
from trickle_web.sessions.browser import settings_of
from trickle_web.templating import render
from trickle_web.upstream import api, call, parsed, problem_body

router = page_router()
Text = Annotated[str, Form()]

PAYOUT_FIELDS = ("amount", "sandbox")
SANDBOX_OUTCOMES = [("succeed", "The payout succeeds"), ("fail", "The payout fails")]


async def earnings_context(request: Request) -> dict[str, Any]:
    client = await api(request)
    account_id = account_of(request)
    statement = parsed(
        await call(get_statement.asyncio_detailed, account_id, client=client, kind="creator_earnings", limit=50), 200
    )
    payouts = parsed(await call(list_payouts.asyncio_detailed, client=client, limit=20), 200)
    return {
        "balances": parsed(await call(get_balances.asyncio_detailed, account_id, client=client), 200),
        "lines": list(reversed(statement.data)) if statement else [],
        "payouts": payouts.data if payouts else [],
        "payout_form": PageForm(),
        "payout_key": idempotency_key(),
        "sandbox_outcomes": SANDBOX_OUTCOMES if settings_of(request).sandbox_checkout else [],
    }


@router.get("/creator/earnings")
async def earnings_page(request: Request) -> Response:
    return await render(request, "creator/earnings.html", await earnings_context(request))


@router.post("/creator/payouts")
async def request_payout(request: Request, amount: Text = "", sandbox: Text = "") -> Response:
    client = await api(request)
    values = {"amount": amount, "sandbox": sandbox}
    try:
        cents = parse_amount(amount)
    except AmountError as exc:
        context = await earnings_context(request)
        context["payout_form"] = PageForm(values=values, errors={"amount": str(exc)})
        return await render(request, "creator/earnings.html", context, 422)
    body = PayoutCreate(amount=PositiveMoney(amount=cents, currency=settings_of(request).currency))
    if sandbox in {o for o, _ in SANDBOX_OUTCOMES} and settings_of(request).sandbox_checkout:
        body.sandbox = check_payout_create_sandbox_type_0(sandbox)
    key = idempotency_key(await request.form(), keep=True)
    answer = await call(create_payout.asyncio_detailed, client=client, body=body, idempotency_key=key)
    if (payout := parsed(answer, 202)) is None:
        context = await earnings_context(request)
        context["payout_form"] = problem_form(problem_body(answer), values, PAYOUT_FIELDS)
        return await render(request, "creator/earnings.html", context, 422)
    return RedirectResponse(f"/creator/earnings?payout={payout.id}#payouts", status_code=303)
