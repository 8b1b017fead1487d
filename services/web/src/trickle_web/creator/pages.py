"""/creator: the creator's things and domain claims, with each claim's verification steps.

A thing is registered at a URL; it is the creator's once a verified claim covers the URL
(docs/claims.md). A claim's token goes on the site (the well-known file, a meta tag, or on a
shared host's profile page a ``rel="me"`` link); "Verify now" asks click-ledger to fetch it.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from trickle_client.api.click_ledger import create_claim, list_claims, list_things, register_thing, verify_claim
from trickle_client.api.wallet import get_balances
from trickle_client.models import ClaimCreate, ThingCreate

from trickle_web.creator.calls import account_of
from trickle_web.forms import Form as PageForm
from trickle_web.forms import idempotency_key, problem_form
from trickle_web.routing import page_router
from trickle_web.templating import render
from trickle_web.upstream import api, call, parsed, problem_body

router = page_router()
Text = Annotated[str, Form()]

THING_FIELDS = ("url", "title")
CLAIM_FIELDS = ("domain", "path_prefix")
# Claim problems that name no field, put on the field they are about.
CLAIM_CODES = {
    "shared_host_needs_prefix": "path_prefix",
    "prefix_needs_shared_host": "path_prefix",
    "domain_claimed": "domain",
}


async def creator_context(request: Request) -> dict[str, Any]:
    client = await api(request)  # signed in, or off to /sign-in
    things = parsed(await call(list_things.asyncio_detailed, client=client, limit=100), 200)
    claims = parsed(await call(list_claims.asyncio_detailed, client=client, limit=100), 200)
    balances = parsed(await call(get_balances.asyncio_detailed, account_of(request), client=client), 200)
    return {
        "things": things.data if things else [],
        "claims": claims.data if claims else [],
        "balances": balances,
        "thing_form": PageForm(),
        "claim_form": PageForm(),
        "thing_key": idempotency_key(),
        "claim_key": idempotency_key(),
        "verification": None,
    }


@router.get("/creator")
async def creator_page(request: Request) -> Response:
    return await render(request, "creator/overview.html", await creator_context(request))


@router.post("/creator/things")
async def register(request: Request, url: Text = "", title: Text = "") -> Response:
    client = await api(request)
    key = idempotency_key(await request.form(), keep=True)
    body = ThingCreate(url=url.strip(), title=title.strip() or None)
    answer = await call(register_thing.asyncio_detailed, client=client, body=body, idempotency_key=key)
    if (thing := parsed(answer, 201)) is None:
        context = await creator_context(request)
        context["thing_form"] = problem_form(
            problem_body(answer), {"url": url, "title": title}, THING_FIELDS, code_fields={"url_claimed": "url"}
        )
        return await render(request, "creator/overview.html", context, 422)
    return RedirectResponse(f"/creator?registered={quote(thing.id)}#things", status_code=303)


@router.post("/creator/claims")
async def start_claim(request: Request, domain: Text = "", path_prefix: Text = "") -> Response:
    client = await api(request)
    key = idempotency_key(await request.form(), keep=True)
    body = ClaimCreate(domain=domain.strip(), path_prefix=path_prefix.strip() or None)
    answer = await call(create_claim.asyncio_detailed, client=client, body=body, idempotency_key=key)
    if (claim := parsed(answer, 201)) is None:
        context = await creator_context(request)
        values = {"domain": domain, "path_prefix": path_prefix}
        context["claim_form"] = problem_form(problem_body(answer), values, CLAIM_FIELDS, code_fields=CLAIM_CODES)
        return await render(request, "creator/overview.html", context, 422)
    return RedirectResponse(f"/creator?claim={quote(claim.id)}#claim-{quote(claim.id)}", status_code=303)


@router.post("/creator/claims/{claim_id}/verify")
async def verify(request: Request, claim_id: str) -> Response:
    client = await api(request)
    answer = await call(verify_claim.asyncio_detailed, claim_id, client=client)
    context = await creator_context(request)
    if (outcome := parsed(answer, 200)) is not None:
        context["verification"] = outcome
        return await render(request, "creator/overview.html", context)
    problem = problem_body(answer)
    context["verification"] = {"verified": False, "reason": problem.get("detail"), "claim": {"id": claim_id}}
    return await render(request, "creator/overview.html", context, 404 if answer.status_code == 404 else 422)
