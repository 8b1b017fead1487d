"""/tips: send a one-off amount to another account (a transfer; SPEC 3: commission as in the split,
refused if the wallet lacks the funds), and the tips sent so far."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from trickle_client.api.wallet import create_transfer, list_transfers
from trickle_client.models import PositiveMoney, TransferCreate

from trickle_web.forms import Form as PageForm
from trickle_web.forms import idempotency_key, problem_form
from trickle_web.money import AmountError, parse_amount
from trickle_web.routing import page_router
from trickle_web.sessions.browser import settings_of
from trickle_web.templating import render
from trickle_web.upstream import api, call, parsed, problem_body

router = page_router()
Text = Annotated[str, Form()]
FIELDS = ("to_account_id", "amount", "note")


async def page(request: Request, form: PageForm | None = None, status: int = 200, key: str | None = None) -> Response:
    client = await api(request)
    sent = parsed(await call(list_transfers.asyncio_detailed, client=client, direction="sent", limit=50), 200)
    context = {
        "transfers": sent.data if sent is not None else [],
        "form": form or PageForm(values={"to_account_id": request.query_params.get("to", "")}),
        "key": key or idempotency_key(),
        "done": request.query_params.get("done", ""),
    }
    return await render(request, "patron/tips.html", context, status)


@router.get("/tips")
async def tips_page(request: Request) -> Response:
    return await page(request)


@router.post("/tips")
async def tip(request: Request, to_account_id: Text = "", amount: Text = "", note: Text = "") -> Response:
    client = await api(request)
    submitted = await request.form()
    values = {"to_account_id": to_account_id, "amount": amount, "note": note}
    try:
        cents = parse_amount(amount)
    except AmountError as exc:
        return await page(request, PageForm(values=values, errors={"amount": str(exc)}), 422)
    body = TransferCreate(
        to_account_id=to_account_id.strip(),
        amount=PositiveMoney(amount=cents, currency=settings_of(request).currency),
        note=note.strip() or None,
    )
    key = idempotency_key(submitted, keep=True)
    answer = await call(create_transfer.asyncio_detailed, client=client, body=body, idempotency_key=key)
    if parsed(answer, 200, 201, 202) is None:
        form = problem_form(problem_body(answer), values, FIELDS, aliases={"amount.amount": "amount"})
        return await page(request, form, 422)
    return RedirectResponse("/tips?done=sent", status_code=303)
