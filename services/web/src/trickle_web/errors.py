"""Pages for what goes wrong: people get HTML (a sign-in redirect, a 403/404 page, a 503 page), never problem+json."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from trickle_web.next_path import safe_next
from trickle_web.sessions.browser import sign_out
from trickle_web.templating import render
from trickle_web.unavailable import DATABASE_AWAY, unavailable_page
from trickle_web.upstream import SignInRequired, TokenRejected, UpstreamUnavailable


def sign_in_url(request: Request) -> str:
    """/sign-in, coming back to this page (after a POST: to the page its form was on)."""
    if request.method == "GET":
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    else:
        referer = urlsplit(request.headers.get("referer", ""))
        here = referer.path + (f"?{referer.query}" if referer.query else "")
    return f"/sign-in?next={quote(safe_next(here), safe='')}"


def install_page_errors(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> Response:
        if isinstance(exc, TokenRejected):
            await sign_out(request)
        # After a POST the person lands on the page the form was on, not on the POST's URL.
        return RedirectResponse(sign_in_url(request), status_code=303)

    @app.exception_handler(UpstreamUnavailable)
    async def _unavailable(request: Request, exc: UpstreamUnavailable) -> Response:
        return await error_page(request, 503, "Trickle is not answering right now. Please try again in a minute.")

    async def _database_away(request: Request, exc: Exception) -> Response:
        return unavailable_page()  # the sessions database: no template can be rendered without it

    for away in DATABASE_AWAY:
        app.add_exception_handler(away, _database_away)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        detail = str(exc.detail) if exc.status_code != 404 else "There is no page at this address."
        return await error_page(request, exc.status_code, detail)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return await error_page(request, 400, "This request is missing something or has a value Trickle cannot read.")


async def error_page(request: Request, status: int, detail: str) -> Response:
    if not hasattr(request.state, "browser"):  # a path without a session (static files)
        return Response(detail, status_code=status, media_type="text/plain")
    return await render(request, "error.html", {"status": status, "detail": detail}, status_code=status)
