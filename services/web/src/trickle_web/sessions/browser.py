"""The session this request's cookie stands for, loaded once per request by ``SessionMiddleware``.

Pages read it with ``browser(request)``; signing in and out go through ``sign_in`` / ``sign_out``
here, which also decide what the response does with the cookie.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from trickle_web.sessions import store
from trickle_web.sessions.models import WebSession
from trickle_web.settings import Settings
from trickle_web.unavailable import DATABASE_AWAY, unavailable_page

COOKIE = "trickle_session"
# Paths that never need a session (no database read for them).
SESSIONLESS_PREFIXES = ("/static/", "/healthz", "/readyz")


@dataclass(frozen=True)
class SessionView:
    """A session row as read at one moment (no ORM object outlives its transaction)."""

    id: str
    csrf_secret: str
    account_id: str | None
    access_token: str | None
    access_expires_at: datetime | None
    refresh_token: str | None

    @classmethod
    def of(cls, row: WebSession) -> SessionView:
        return cls(
            id=row.id,
            csrf_secret=row.csrf_secret,
            account_id=row.account_id,
            access_token=row.access_token,
            access_expires_at=row.access_expires_at,
            refresh_token=row.refresh_token,
        )


@dataclass
class Browser:
    """This request's session and what the response must do with the cookie."""

    cookie_value: str | None
    session: SessionView | None
    # Set on the response: a new cookie value (a session started), or the cookie removed.
    new_cookie: str | None = None
    signed_in_cookie: bool = False
    clear_cookie: bool = False

    @property
    def account_id(self) -> str | None:
        return self.session.account_id if self.session else None


def browser(request: HTTPConnection) -> Browser:
    return cast(Browser, request.state.browser)


def settings_of(request: HTTPConnection) -> Settings:
    return cast(Settings, request.app.state.settings)


def sessions_of(request: HTTPConnection) -> async_sessionmaker[AsyncSession]:
    return cast(async_sessionmaker[AsyncSession], request.app.state.sessions)


async def ensure_session(request: Request) -> SessionView:
    """This browser's session, started (anonymous) if it has none: every form needs its CSRF secret."""
    current = browser(request)
    if current.session is not None:
        return current.session
    async with sessions_of(request)() as db, db.begin():
        cookie_value, row = await store.start(db, settings_of(request))
        view = SessionView.of(row)
    current.cookie_value, current.session, current.new_cookie = cookie_value, view, cookie_value
    current.signed_in_cookie, current.clear_cookie = False, False
    return view


async def sign_in(request: Request, tokens: store.Tokens) -> SessionView:
    """Replace this browser's session with a signed-in one (a new id: no session fixation)."""
    current = browser(request)
    async with sessions_of(request)() as db, db.begin():
        if current.cookie_value is not None and (old := await store.find(db, current.cookie_value)) is not None:
            await store.end(db, old)
        cookie_value, row = await store.start(db, settings_of(request), tokens)
        view = SessionView.of(row)
    current.cookie_value, current.session, current.new_cookie = cookie_value, view, cookie_value
    current.signed_in_cookie, current.clear_cookie = True, False
    return view


async def sign_out(request: Request) -> str | None:
    """End this browser's session; returns its refresh token (to revoke), if it had one."""
    current = browser(request)
    refresh_token = current.session.refresh_token if current.session else None
    if current.cookie_value is not None:
        async with sessions_of(request)() as db, db.begin():
            if (row := await store.find(db, current.cookie_value)) is not None:
                await store.end(db, row)
    forget(current)
    return refresh_token


def forget(current: Browser) -> None:
    """The response removes the cookie; the rest of this request is signed out."""
    current.cookie_value, current.session, current.new_cookie = None, None, None
    current.clear_cookie = True


def cookie_header(settings: Settings, current: Browser) -> str | None:
    """The Set-Cookie value the response needs, or None."""
    secure = "; Secure" if settings.secure_cookies else ""
    if current.new_cookie is not None:
        # A signed-in cookie outlives the browser's restart; an anonymous one does not.
        max_age = f"; Max-Age={int(settings.session_max_age_s)}" if current.signed_in_cookie else ""
        return f"{COOKIE}={current.new_cookie}; Path=/; HttpOnly; SameSite=Lax{secure}{max_age}"
    if current.clear_cookie:
        return f"{COOKIE}=; Path=/; HttpOnly; SameSite=Lax{secure}; Max-Age=0"
    return None


class SessionMiddleware:
    """Loads the cookie's session into ``request.state.browser`` and writes the cookie back when it changed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(SESSIONLESS_PREFIXES):
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        settings = settings_of(connection)
        cookie_value = connection.cookies.get(COOKIE)
        current = Browser(cookie_value=None, session=None)
        if cookie_value:
            try:
                async with sessions_of(connection)() as db, db.begin():
                    row = await store.find(db, cookie_value)
                    if row is not None:
                        store.touch(row, settings)
                        current = Browser(cookie_value=cookie_value, session=SessionView.of(row))
                    else:
                        current.clear_cookie = True  # expired or ended: stop sending it
            except DATABASE_AWAY:
                await unavailable_page()(scope, receive, send)
                return
        scope.setdefault("state", {})["browser"] = current

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                header = cookie_header(settings, current)
                if header is not None:
                    MutableHeaders(scope=message).append("set-cookie", header)
            await send(message)

        await self.app(scope, receive, send_with_cookie)
