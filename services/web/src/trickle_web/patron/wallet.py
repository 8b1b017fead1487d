"""/wallet: the balance, a deposit (method, the quoted fee, the sandbox checkout), the budget and
the refunds (asked in ``patron/refunds.py``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from trickle_client.api.wallet import (
    create_deposit,
    get_balances,
    get_budget,
    get_deposit,
    list_refunds,
    quote_deposit,
    set_budget,
)
from trickle_client.models import BudgetSet, DepositCreate, DepositQuoteRequest, Money, PositiveMoney
from trickle_client.models.deposit_create_method import check_deposit_create_method
from trickle_client.models.deposit_create_sandbox_type_0 import check_deposit_create_sandbox_type_0
from trickle_client.models.deposit_quote_request_method import check_deposit_quote_request_method

from trickle_web.forms import Form as PageForm
from trickle_web.forms import idempotency_key, problem_form
from trickle_web.money import AmountError, decimal_text, parse_amount
from trickle_web.routing import page_router
from trickle_web.sessions.browser import browser, settings_of
from trickle_web.templating import render
from trickle_web.upstream import api, call, parsed, problem_body

router = page_router()
Text = Annotated[str, Form()]

METHODS = [("card", "Card"), ("paypal", "PayPal"), ("bank_transfer", "Bank transfer")]
SANDBOX_OUTCOMES = [("succeed", "The payment succeeds"), ("fail", "The payment fails")]
DEPOSIT_FIELDS = ("method", "amount", "sandbox")
BUDGET_FIELDS = ("amount", "min_per_click", "max_per_month", "enabled")
# The API's budget fields → the form's (amounts are typed in units, carried in minor units).
BUDGET_ALIASES = {"amount": "amount", "min_per_click": "min_per_click", "max_per_month": "max_per_month"}
# How many of the latest refunds the wallet lists.
RECENT_REFUNDS = 10


def account_of(request: Request) -> str:
    account_id = browser(request).account_id
    assert account_id is not None  # api(request) ran first: someone is signed in
    return account_id


async def wallet_context(request: Request) -> dict[str, Any]:
    client = await api(request)
    account_id = account_of(request)
    balances = parsed(await call(get_balances.asyncio_detailed, account_id, client=client), 200)
    budget = parsed(await call(get_budget.asyncio_detailed, account_id, client=client), 200)
    return {
        "balances": balances,
        "budget": budget,
        "methods": METHODS,
        "sandbox_outcomes": SANDBOX_OUTCOMES if settings_of(request).sandbox_checkout else [],
        "deposit_form": PageForm(values={"method": "card"}),
        "budget_form": budget_form_of(budget),
    } | await refunds_context(request, balances)


async def refunds_context(request: Request, balances: Any) -> dict[str, Any]:
    """The wallet page's refund part: the form (the whole balance by default) and the latest refunds."""
    client = await api(request)
    listed = parsed(await call(list_refunds.asyncio_detailed, client=client, limit=RECENT_REFUNDS), 200)
    whole = int(balances.wallet.amount) if balances is not None else 0
    values = {"amount": decimal_text(whole)} if whole > 0 else {}
    return {"refunds": listed.data if listed is not None else None, "refund_form": PageForm(values=values)}


def budget_form_of(budget: Any) -> PageForm:
    """The budget form filled with the budget in force."""
    if budget is None:
        return PageForm(values={"enabled": "on"})
    values = {"enabled": "on" if budget.enabled else "", "amount": decimal_text(budget.amount.amount)}
    for name in ("min_per_click", "max_per_month"):
        money = getattr(budget, name, None)
        if isinstance(money, Money):
            values[name] = decimal_text(money.amount)
    return PageForm(values=values)


@router.get("/wallet")
async def wallet_page(request: Request) -> Response:
    return await render(request, "patron/wallet.html", await wallet_context(request))


@router.post("/wallet/deposit-quote")
async def quote(request: Request, method: Text = "card", amount: Text = "", sandbox: Text = "") -> Response:
    """Step 1 of a deposit: what it costs (the fee is the patron's), before anything is paid."""
    client = await api(request)
    values = {"method": method, "amount": amount, "sandbox": sandbox}
    try:
        cents = parse_amount(amount)
    except AmountError as exc:
        context = await wallet_context(request)
        context["deposit_form"] = PageForm(values=values, errors={"amount": str(exc)})
        return await render(request, "patron/wallet.html", context, 422)
    currency = settings_of(request).currency
    if method not in {m for m, _ in METHODS}:
        method = "card"
    body = DepositQuoteRequest(
        method=check_deposit_quote_request_method(method), amount=PositiveMoney(amount=cents, currency=currency)
    )
    answer = await call(quote_deposit.asyncio_detailed, client=client, body=body)
    if (quoted := parsed(answer, 200)) is None:
        context = await wallet_context(request)
        context["deposit_form"] = problem_form(problem_body(answer), values, DEPOSIT_FIELDS)
        return await render(request, "patron/wallet.html", context, 422)
    context = {"quote": quoted, "values": values | {"amount_cents": str(cents)}, "key": idempotency_key()}
    return await render(request, "patron/deposit_confirm.html", context)


@router.post("/wallet/deposits")
async def deposit(request: Request, method: Text = "card", amount_cents: Text = "", sandbox: Text = "") -> Response:
    """Step 2: pay. The Idempotency-Key of the confirmation page makes a double submit one deposit."""
    client = await api(request)
    form = await request.form()
    key = idempotency_key(form, keep=True)
    currency = settings_of(request).currency
    cents = int(amount_cents) if amount_cents.isdigit() else 0  # a hidden field: anything else is no amount
    body = DepositCreate(
        method=check_deposit_create_method(method if method in {m for m, _ in METHODS} else "card"),
        amount=PositiveMoney(amount=cents, currency=currency),
    )
    if sandbox in {o for o, _ in SANDBOX_OUTCOMES} and settings_of(request).sandbox_checkout:
        body.sandbox = check_deposit_create_sandbox_type_0(sandbox)
    answer = await call(create_deposit.asyncio_detailed, client=client, body=body, idempotency_key=key)
    if (made := parsed(answer, 202)) is None:
        context = await wallet_context(request)
        values = {"method": method, "amount": decimal_text(cents), "sandbox": sandbox}
        context["deposit_form"] = problem_form(problem_body(answer), values, DEPOSIT_FIELDS)
        return await render(request, "patron/wallet.html", context, 422)
    return RedirectResponse(f"/wallet/deposits/{made.id}", status_code=303)


@router.get("/wallet/deposits/{deposit_id}")
async def deposit_page(request: Request, deposit_id: str) -> Response:
    """The checkout's outcome: pending until the provider calls the wallet back (the page reloads itself)."""
    client = await api(request)
    answer = await call(get_deposit.asyncio_detailed, deposit_id, client=client)
    if (found := parsed(answer, 200)) is None:
        return await render(request, "error.html", {"status": 404, "detail": "There is no such deposit."}, 404)
    return await render(request, "patron/deposit.html", {"deposit": found})


@router.post("/wallet/budget")
async def budget(
    request: Request, amount: Text = "", min_per_click: Text = "", max_per_month: Text = "", enabled: Text = ""
) -> Response:
    client = await api(request)
    values = {"amount": amount, "min_per_click": min_per_click, "max_per_month": max_per_month, "enabled": enabled}
    currency = settings_of(request).currency
    errors: dict[str, str] = {}
    amounts: dict[str, Money | None] = {}
    for name, text in (("amount", amount), ("min_per_click", min_per_click), ("max_per_month", max_per_month)):
        if not text.strip() and name != "amount":
            amounts[name] = None
            continue
        try:
            amounts[name] = Money(amount=parse_amount(text), currency=currency)
        except AmountError as exc:
            errors[name] = str(exc)
    if not errors:
        body = BudgetSet(
            enabled=bool(enabled),
            amount=amounts["amount"],
            min_per_click=amounts["min_per_click"],
            max_per_month=amounts["max_per_month"],
        )
        answer = await call(set_budget.asyncio_detailed, account_of(request), client=client, body=body)
        if parsed(answer, 200) is not None:
            return RedirectResponse("/wallet?saved=budget#budget", status_code=303)
        form = problem_form(problem_body(answer), values, BUDGET_FIELDS, aliases=BUDGET_ALIASES)
    else:
        form = PageForm(values=values, errors=errors)
    context = await wallet_context(request)
    context["budget_form"] = form
    return await render(request, "patron/wallet.html", context, 422)
