"""/oauth/authorize: the consent page of the wallet's OAuth 2.1 authorization server.

An app sends the browser here with its authorization request. The wallet checks the request
(``GET /v1/oauth/authorization-requests``: the client, its exact redirect URI, the scopes in
words); a bad request is an error page here, never a redirect (the redirect URI is not to be
trusted before the wallet has matched it). A signed-out person signs in first and comes back
(``next`` is this page's local path). Approve or Deny posts the decision with the person's
first-party session token (``POST /v1/oauth/authorizations``) and the browser goes where the
wallet says: the app's redirect URI with a code and state, or with ``error=access_denied``.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from trickle_client.api.wallet import decide_authorization, get_authorization_request
from trickle_client.models import AuthorizationDecision
from trickle_client.models.authorization_decision_decision import check_authorization_decision_decision
from trickle_client.types import UNSET

from trickle_web.next_path import safe_next
from trickle_web.routing import page_router
from trickle_web.sessions.browser import browser
from trickle_web.templating import render
from trickle_web.upstream import anonymous_api, api, call, parsed, problem_body

router = page_router()
Text = Annotated[str, Form()]

# The authorization request's parameters, passed on as the app sent them (nothing else is).
PARAMETERS = ("response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method")
DECISIONS = frozenset({"approve", "deny"})


async def refused(request: Request, detail: str) -> Response:
    return await render(request, "oauth/error.html", {"detail": detail}, 400)


def lands_on(redirect_to: str, redirect_uri: str) -> bool:
    """The wallet's answer goes to the redirect URI the request named (scheme, host, port, path)."""
    target, registered = urlsplit(redirect_to), urlsplit(redirect_uri)
    return (target.scheme, target.netloc, target.path) == (registered.scheme, registered.netloc, registered.path)


@router.get("/oauth/authorize")
async def consent_page(request: Request) -> Response:
    params = {name: request.query_params[name] for name in PARAMETERS if name in request.query_params}
    if browser(request).account_id is None:
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/sign-in?next={quote(safe_next(here, '/'), safe='')}", status_code=303)
    answer = await call(get_authorization_request.asyncio_detailed, client=anonymous_api(request), **params)
    info = parsed(answer, 200)
    if info is None:
        problem = problem_body(answer)
        return await refused(request, str(problem.get("detail") or "This authorization request is not valid."))
    context = {"info": info, "redirect_host": urlsplit(info.redirect_uri).netloc, "params": params}
    return await render(request, "oauth/consent.html", context)


@router.post("/oauth/authorize")
async def decide(request: Request, decision: Text = "") -> Response:
    client = await api(request)
    form = await request.form()
    params = {name: value for name in PARAMETERS if isinstance(value := form.get(name), str)}
    if decision not in DECISIONS:
        return await refused(request, "Choose Approve or Deny.")
    body = AuthorizationDecision(
        response_type=params.get("response_type", ""),
        client_id=params.get("client_id", ""),
        redirect_uri=params.get("redirect_uri", ""),
        code_challenge=params.get("code_challenge", ""),
        code_challenge_method=params.get("code_challenge_method", ""),
        decision=check_authorization_decision_decision(decision),
        scope=params.get("scope", UNSET),
        state=params.get("state", UNSET),
    )
    answer = await call(decide_authorization.asyncio_detailed, client=client, body=body)
    decided = parsed(answer, 200)
    if decided is None:
        problem = problem_body(answer)
        return await refused(request, str(problem.get("detail") or "This authorization request is not valid."))
    redirect_to = decided.redirect_to
    if not lands_on(redirect_to, params.get("redirect_uri", "")):
        return await refused(request, "Trickle could not send you back to the app.")
    return RedirectResponse(redirect_to, status_code=303)
