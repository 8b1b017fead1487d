"""/operator: periods and their close, outboxes and dead letters, accounts (operator session only,
see ``operator/session.py`` for how the operator signs in)."""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import FastAPI, Form, Request
from fastapi.responses import RedirectResponse, Response
from trickle_client.api.click_ledger import (
    get_click_ledger_outbox_backlog,
    get_current_period,
    list_click_ledger_dead_letters,
    list_periods,
    replay_click_ledger_dead_letter,
    seal_current_period,
)
from trickle_client.api.settlement import (
    close_period,
    get_period_status,
    get_settlement_outbox_backlog,
    list_settlement_dead_letters,
    replay_settlement_dead_letter,
)
from trickle_client.api.wallet import (
    find_accounts,
    get_wallet_outbox_backlog,
    list_wallet_dead_letters,
    replay_wallet_dead_letter,
    suspend_account,
    unsuspend_account,
)
from trickle_client.api.webhook import get_webhook_outbox_backlog, list_webhook_dead_letters, replay_webhook_dead_letter
from trickle_client.models import SuspensionCreate
from trickle_client.types import UNSET

from trickle_web.errors import error_page
from trickle_web.forms import Form as PageForm
from trickle_web.forms import problem_form
from trickle_web.next_path import safe_next
from trickle_web.operator.calls import operator_call
from trickle_web.operator.session import OPERATOR_SCOPE, OperatorSignInRequired, exchange, sign_in_operator
from trickle_web.routing import page_router
from trickle_web.sessions.browser import browser
from trickle_web.templating import render
from trickle_web.upstream import parsed, problem_body, problem_of

router = page_router()
Text = Annotated[str, Form()]

# The services with operator endpoints under /v1/operations/<service>/: (outbox backlog, dead
# letters, replay) of each, as the generated client names them.
OPERATIONS: dict[str, tuple[Any, Any, Any]] = {
    "wallet": (get_wallet_outbox_backlog, list_wallet_dead_letters, replay_wallet_dead_letter),
    "click-ledger": (get_click_ledger_outbox_backlog, list_click_ledger_dead_letters, replay_click_ledger_dead_letter),
    "settlement": (get_settlement_outbox_backlog, list_settlement_dead_letters, replay_settlement_dead_letter),
    "webhook": (get_webhook_outbox_backlog, list_webhook_dead_letters, replay_webhook_dead_letter),
}
SERVICES = tuple(OPERATIONS)
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
EVENT_ID = re.compile(r"^evt_[0-9a-f]+$")
# How many of the latest periods the overview shows with their close status.
RECENT_PERIODS = 6


def install_operator_errors(app: FastAPI) -> None:
    @app.exception_handler(OperatorSignInRequired)
    async def _operator_only(request: Request, exc: OperatorSignInRequired) -> Response:
        if browser(request).account_id is not None:
            detail = "This page is for Trickle's operator. Sign out, then sign in with the operator credential."
            return await error_page(request, 403, detail)
        here = request.url.path if request.method == "GET" else "/operator"
        if request.method == "GET" and request.url.query:
            here += f"?{request.url.query}"
        return RedirectResponse(f"/operator/sign-in?next={quote(safe_next(here, '/operator'), safe='')}", 303)


@router.get("/operator/sign-in")
async def sign_in_page(request: Request, next: str | None = None) -> Response:
    return await render(request, "operator/sign_in.html", {"next": safe_next(next, "/operator")})


@router.post("/operator/sign-in")
async def sign_in(request: Request, client_id: Text = "", client_secret: Text = "", next: Text = "") -> Response:
    target = safe_next(next, "/operator")
    answer = await exchange(request, client_id, client_secret)
    body = answer.json() if answer.status_code == 200 else None
    if body is None or OPERATOR_SCOPE not in str(body.get("scope", "")).split():
        if body is None:
            form = problem_form(problem_of(answer), {"client_id": client_id}, ("client_id", "client_secret"))
        else:  # an account's API key: a real credential, but not the operator's
            form = PageForm(values={"client_id": client_id}, error="This credential is not the operator's.")
        return await render(request, "operator/sign_in.html", {"form": form, "next": target}, 401)
    await sign_in_operator(request, str(body["access_token"]), float(body.get("expires_in", 0)))
    return RedirectResponse(target, status_code=303)


async def periods_context(request: Request) -> dict[str, Any]:
    current = parsed(await operator_call(request, get_current_period.asyncio_detailed), 200)
    listed = parsed(await operator_call(request, list_periods.asyncio_detailed, limit=100), 200)
    rows = []
    for period in reversed(listed.data[-RECENT_PERIODS:] if listed else []):
        status = None
        if period.state == "sealed":
            status = parsed(await operator_call(request, get_period_status.asyncio_detailed, period.id), 200)
        rows.append({"period": period, "status": status})
    closing = any(r["status"] is not None and r["status"].status == "closing" for r in rows)
    return {"current": current, "rows": rows, "closing": closing}


@router.get("/operator")
async def periods_page(request: Request) -> Response:
    return await render(request, "operator/periods.html", await periods_context(request))


@router.get("/operator/periods/seal")
async def seal_confirm(request: Request) -> Response:
    current = parsed(await operator_call(request, get_current_period.asyncio_detailed), 200)
    return await render(request, "operator/confirm.html", {"action": "seal", "current": current})


@router.post("/operator/periods/seal")
async def seal(request: Request) -> Response:
    answer = await operator_call(request, seal_current_period.asyncio_detailed)
    if (sealed := parsed(answer, 200)) is None:
        context = await periods_context(request)
        context["problem"] = problem_body(answer)
        return await render(request, "operator/periods.html", context, answer.status_code)
    return RedirectResponse(f"/operator?sealed={quote(sealed.sealed.id)}", status_code=303)


@router.get("/operator/periods/{period}/close")
async def close_confirm(request: Request, period: str) -> Response:
    if not PERIOD.match(period):
        return await error_page(request, 404, "There is no such period.")
    status = parsed(await operator_call(request, get_period_status.asyncio_detailed, period), 200)
    return await render(request, "operator/confirm.html", {"action": "close", "period": period, "status": status})


@router.post("/operator/periods/{period}/close")
async def close(request: Request, period: str) -> Response:
    if not PERIOD.match(period):
        return await error_page(request, 404, "There is no such period.")
    answer = await operator_call(request, close_period.asyncio_detailed, period)
    if parsed(answer, 202) is None:
        context = await periods_context(request)
        context["problem"] = problem_body(answer)
        return await render(request, "operator/periods.html", context, answer.status_code)
    return RedirectResponse(f"/operator?closing={period}", status_code=303)


@router.get("/operator/events")
async def events_page(request: Request) -> Response:
    services = []
    for service, (outbox, dead_letters, _) in OPERATIONS.items():
        backlog = parsed(await operator_call(request, outbox.asyncio_detailed), 200)
        dead = parsed(await operator_call(request, dead_letters.asyncio_detailed, limit=100), 200)
        services.append({"name": service, "backlog": backlog, "dead": dead})
    return await render(request, "operator/events.html", {"services": services})


@router.post("/operator/events/{service}/{event_id}/replay")
async def replay(request: Request, service: str, event_id: str) -> Response:
    if service not in SERVICES or not EVENT_ID.match(event_id):
        return await error_page(request, 404, "There is no such dead letter.")
    answer = await operator_call(request, OPERATIONS[service][2].asyncio_detailed, event_id)
    if answer.status_code != 202:
        return await error_page(request, answer.status_code, str(problem_body(answer).get("detail")))
    return RedirectResponse(f"/operator/events?replayed={event_id}", status_code=303)


async def accounts_context(request: Request, q: str) -> dict[str, Any]:
    answer = await operator_call(request, find_accounts.asyncio_detailed, limit=50, q=q or UNSET)
    found = parsed(answer, 200)
    search = PageForm(values={"q": q})
    if found is None:
        search = problem_form(problem_body(answer), {"q": q}, ("q",))
    return {"found": found, "search": search, "q": q, "forms": {}}


@router.get("/operator/accounts")
async def accounts_page(request: Request, q: str = "") -> Response:
    return await render(request, "operator/accounts.html", await accounts_context(request, q.strip()))


@router.post("/operator/accounts/{account_id}/suspend")
async def suspend(request: Request, account_id: str, reason: Text = "", q: Text = "") -> Response:
    body = SuspensionCreate(reason=reason)
    answer = await operator_call(request, suspend_account.asyncio_detailed, account_id, body=body)
    if parsed(answer, 200) is None:
        context = await accounts_context(request, q)
        context["forms"] = {account_id: problem_form(problem_body(answer), {"reason": reason}, ("reason",))}
        return await render(request, "operator/accounts.html", context, 422)
    return RedirectResponse(f"/operator/accounts?q={quote(q)}&suspended={quote(account_id)}", status_code=303)


@router.post("/operator/accounts/{account_id}/unsuspend")
async def unsuspend(request: Request, account_id: str, q: Text = "") -> Response:
    answer = await operator_call(request, unsuspend_account.asyncio_detailed, account_id)
    if parsed(answer, 200) is None:
        return await error_page(request, answer.status_code, str(problem_body(answer).get("detail")))
    return RedirectResponse(f"/operator/accounts?q={quote(q)}&unsuspended={quote(account_id)}", status_code=303)
