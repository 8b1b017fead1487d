"""/subscriptions: the patron's subscriptions (a click every month for 3, 6 or 12 months); start one, cancel."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from trickle_client.api.click_ledger import cancel_subscription, create_subscription, list_subscriptions
from trickle_client.models import SubscriptionCreate
from trickle_client.models.subscription_create_periods import check_subscription_create_periods

from trickle_web.forms import Form as PageForm
from trickle_web.forms import idempotency_key, problem_form
from trickle_web.routing import page_router
from trickle_web.templating import render
from trickle_web.upstream import api, call, parsed, problem_body

router = page_router()
Text = Annotated[str, Form()]
PERIODS = [("3", "3 months"), ("6", "6 months"), ("12", "12 months")]


async def page(request: Request, form: PageForm | None = None, status: int = 200) -> Response:
    client = await api(request)
    listed = parsed(await call(list_subscriptions.asyncio_detailed, client=client, limit=100), 200)
    context = {
        "subscriptions": listed.data if listed is not None else [],
        "periods": PERIODS,
        "key": idempotency_key(),
        "form": form or PageForm(values={"periods": "3"}),
        "done": request.query_params.get("done", ""),
    }
    return await render(request, "patron/subscriptions.html", context, status)


@router.get("/subscriptions")
async def subscriptions_page(request: Request) -> Response:
    return await page(request)


@router.post("/subscriptions")
async def subscribe(request: Request, thing_id: Text = "", periods: Text = "3", idempotency_key: Text = "") -> Response:
    client = await api(request)
    values = {"thing_id": thing_id, "periods": periods}
    months = int(periods) if periods in {p for p, _ in PERIODS} else 3
    body = SubscriptionCreate(thing_id=thing_id.strip(), periods=check_subscription_create_periods(months))
    answer = await call(create_subscription.asyncio_detailed, client=client, body=body, idempotency_key=idempotency_key)
    if parsed(answer, 200, 201) is None:
        return await page(request, problem_form(problem_body(answer), values, ("thing_id", "periods")), 422)
    return RedirectResponse("/subscriptions?done=started", status_code=303)


@router.post("/subscriptions/{subscription_id}/cancel")
async def cancel(request: Request, subscription_id: str) -> Response:
    client = await api(request)
    answer = await call(cancel_subscription.asyncio_detailed, subscription_id, client=client)
    if parsed(answer, 200) is None:
        return await page(request, problem_form(problem_body(answer), {}, ()), 422)
    return RedirectResponse("/subscriptions?done=cancelled", status_code=303)
