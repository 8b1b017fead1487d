"""Security headers on every page: no framing (clickjacking of the one-tap click), scripts and
styles from this origin only, no referrer leaving the site, and none at all from the pages whose
address holds a secret token (a verification or reset link: not even this origin's logs get it),
and no page kept by a cache: pages show a person's money, and Back after signing out on a shared computer
must not show the last person's balance (static files keep their own caching)."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}
PAGE_HEADERS = {"cache-control": "no-store"}
STATIC_PREFIX = "/static/"
# Pages opened from a mail's link with a secret token in their query.
TOKEN_PAGES = frozenset({"/verify-email", "/reset-password"})


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if scope["path"] in TOKEN_PAGES:
                    headers["referrer-policy"] = "no-referrer"
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if not scope["path"].startswith(STATIC_PREFIX):
                    for name, value in PAGE_HEADERS.items():
                        headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
