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

from trickle_web.creator.calls import account_of, get_json
from trickle_web.forms import Form as PageForm
from trickle_web.forms import idempotency_key, problem_form
from trickle_web.routing import page_router
from trickle_web.templating import render
from trickle_web.upstream import api, problem_of, send

router = page_router()
Text = Annotated[str, Form()]

THING_FIELDS = ("url", "title")
CLAIM_FIELDS = ("domain", "path_prefix")


async def creator_context(request: Request) -> dict[str, Any]:
    await api(request)  # signed in, or off to /sign-in
    account_id = account_of(request)
    things = await get_json(request, "/v1/things", {"limit": 100})
    claims = await get_json(request, "/v1/claims", {"limit": 100})
    balances = await get_json(request, f"/v1/accounts/{account_id}/balances")
    return {
        "things": (things or {}).get("data", []),
        "claims": (claims or {}).get("data", []),
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
async def register_thing(request: Request, url: Text = "", title: Text = "") -> Response:
    client = await api(request)
    key = idempotency_key(await request.form(), keep=True)
    body = {"url": url.strip()} | ({"title": title.strip()} if title.strip() else {})
    answer = await send(client, "POST", "/v1/things", json=body, idempotency_key=key)
    if answer.status_code != 201:
        context = await creator_context(request)
        context["thing_form"] = problem_form(
            problem_of(answer), {"url": url, "title": title}, THING_FIELDS, code_fields={"url_claimed": "url"}
        )
        return await render(request, "creator/overview.html", context, 422)
    return RedirectResponse(f"/creator?registered={quote(answer.json()['id'])}#things", status_code=303)


@router.post("/creator/claims")
async def create_claim(request: Request, domain: Text = "", path_prefix: Text = "") -> Response:
    client = await api(request)
    key = idempotency_key(await request.form(), keep=True)
    body = {"domain": domain.strip()} | ({"path_prefix": path_prefix.strip()} if path_prefix.strip() else {})
    answer = await send(client, "POST", "/v1/claims", json=body, idempotency_key=key)
    if answer.status_code != 201:
        codes = {
            "shared_host_needs_prefix": "path_prefix",
            "prefix_needs_shared_host": "path_prefix",
            "domain_claimed": "domain",
        }
        context = await creator_context(request)
        values = {"domain": domain, "path_prefix": path_prefix}
        context["claim_form"] = problem_form(problem_of(answer), values, CLAIM_FIELDS, code_fields=codes)
        return await render(request, "creator/overview.html", context, 422)
    return RedirectResponse(f"/creator?claim={quote(answer.json()['id'])}#claim-{answer.json()['id']}", 303)


@router.post("/creator/claims/{claim_id}/verify")
async def verify_claim(request: Request, claim_id: str) -> Response:
    client = await api(request)
    answer = await send(client, "POST", f"/v1/claims/{quote(claim_id, safe='')}/verify")
    context = await creator_context(request)
    if answer.status_code == 200:
        context["verification"] = answer.json()
        return await render(request, "creator/overview.html", context)
    problem = problem_of(answer)
    context["verification"] = {"verified": False, "reason": problem.get("detail"), "claim": {"id": claim_id}}
    return await render(request, "creator/overview.html", context, 422 if answer.status_code != 404 else 404)
