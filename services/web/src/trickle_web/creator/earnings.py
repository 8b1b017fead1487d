"""/creator/earnings: what the creator earned (balances, the earnings statement) and payouts.

A payout request is money: its form carries an Idempotency-Key per render (a double submit is
one payout); a refused request shows the API's problem by its field with the amount kept.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response

from trickle_web.creator.calls import account_of, get_json
from trickle_web.forms import Form as PageForm
from trickle_web.forms import idempotency_key, problem_form
from trickle_web.money import AmountError, parse_amount
from trickle_web.routing import page_router
from trickle_web.sessions.browser import settings_of
from trickle_web.templating import render
from trickle_web.upstream import api, problem_of, send

router = page_router()
Text = Annotated[str, Form()]

PAYOUT_FIELDS = ("amount", "sandbox")
SANDBOX_OUTCOMES = [("succeed", "The payout succeeds"), ("fail", "The payout fails")]
# Problems about the amount that name no field.
AMOUNT_CODES = {code: "amount" for code in ("insufficient_earnings", "payout_below_minimum", "insufficient_funds")}


async def earnings_context(request: Request) -> dict[str, Any]:
    await api(request)
    account_id = account_of(request)
    statement = await get_json(
        request, f"/v1/ledger/accounts/{account_id}/statement", {"kind": "creator_earnings", "limit": 50}
    )
    payouts = await get_json(request, "/v1/payouts", {"limit": 20})
    return {
        "balances": await get_json(request, f"/v1/accounts/{account_id}/balances"),
        "lines": list(reversed((statement or {}).get("data", []))),
        "payouts": (payouts or {}).get("data", []),
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
    body: dict[str, Any] = {"amount": {"amount": cents, "currency": settings_of(request).currency}}
    if sandbox in {o for o, _ in SANDBOX_OUTCOMES} and settings_of(request).sandbox_checkout:
        body["sandbox"] = sandbox
    key = idempotency_key(await request.form(), keep=True)
    answer = await send(client, "POST", "/v1/payouts", json=body, idempotency_key=key)
    if answer.status_code != 202:
        context = await earnings_context(request)
        context["payout_form"] = problem_form(problem_of(answer), values, PAYOUT_FIELDS, code_fields=AMOUNT_CODES)
        return await render(request, "creator/earnings.html", context, 422)
    return RedirectResponse(f"/creator/earnings?payout={answer.json()['id']}#payouts", status_code=303)
