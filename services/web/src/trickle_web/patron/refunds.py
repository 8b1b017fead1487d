"""/wallet's "Refund my balance": the unspent wallet paid back (all of it unless the patron types
less), confirmed on a page of its own first, as a deposit is; the refunds listed with their status."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from trickle_client.api.wallet import create_refund
from trickle_client.models import PositiveMoney, RefundCreate

from trickle_web.forms import Form as PageForm
from trickle_web.forms import idempotency_key, problem_form
from trickle_web.money import AmountError, decimal_text, parse_amount
from trickle_web.patron.wallet import account_of, wallet_context
from trickle_web.routing import page_router
from trickle_web.sessions.browser import settings_of
from trickle_web.templating import render
from trickle_web.upstream import api, call, parsed, problem_body

router = page_router()
Text = Annotated[str, Form()]

REFUND_FIELDS = ("amount",)
# A refusal naming no field is still about the amount asked.
REFUND_CODE_FIELDS = {"nothing_to_refund": "amount", "amount_above_balance": "amount", "currency_mismatch": "amount"}


async def wallet_with_refund_form(request: Request, form: PageForm) -> Response:
    context = await wallet_context(request)
    context["refund_form"] = form
    return await render(request, "patron/wallet.html", context, 422)


@router.get("/wallet/refund")
async def refund_confirm(request: Request, amount: str | None = None) -> Response:
    """Step 1: what will be paid back (nothing is asked yet); no amount is the whole balance."""
    context = await wallet_context(request)
    typed = context["refund_form"].value("amount") if amount is None else amount
    try:
        cents = parse_amount(typed)
    except AmountError as exc:
        error = "Your wallet holds nothing to refund." if amount is None else str(exc)
        return await wallet_with_refund_form(request, PageForm(values={"amount": typed}, errors={"amount": error}))
    currency = settings_of(request).currency
    page = {"amount": PositiveMoney(amount=cents, currency=currency), "cents": cents, "key": idempotency_key()}
    return await render(request, "patron/refund_confirm.html", page)


@router.post("/wallet/refunds")
async def refund(request: Request, amount_cents: Text = "") -> Response:
    """Step 2: ask. The confirmation page's Idempotency-Key makes a double submit one refund."""
    client = await api(request)
    key = idempotency_key(await request.form(), keep=True)
    cents = int(amount_cents) if amount_cents.isdigit() else 0  # a hidden field: anything else is no amount
    body = RefundCreate(
        account_id=account_of(request), amount=PositiveMoney(amount=cents, currency=settings_of(request).currency)
    )
    answer = await call(create_refund.asyncio_detailed, client=client, body=body, idempotency_key=key)
    if (made := parsed(answer, 202)) is None:
        values = {"amount": decimal_text(cents)}
        form = problem_form(problem_body(answer), values, REFUND_FIELDS, code_fields=REFUND_CODE_FIELDS)
        return await wallet_with_refund_form(request, form)
    return RedirectResponse(f"/wallet?refunded={made.id}#refunds", status_code=303)
