"""The lean ``POST /v1/clicks`` (clicks/lean_route.py) answers exactly as the FastAPI route does.

Each case runs against the app as built (lean route first) and against the same app without
the lean route (FastAPI's route alone), with entities of its own on each side; the answers
are compared with the ids, times and request ids of each side replaced by names.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import httpx
import pytest

from trickle_click_ledger.clicks.lean_route import LeanClickRoute
from trickle_click_ledger.models import Account
from trickle_click_ledger.settings import Settings
from trickle_kit.envelope import utcnow
from trickle_kit.ids import new_id
from trickle_kit.testing_auth import TokenFactory

from ..support.apps import sessions_of
from ..support.things import register

Answer = tuple[httpx.Response, dict[str, str]]  # the response, and names for the case's own ids
Case = Callable[[httpx.AsyncClient, TokenFactory], Awaitable[Answer]]
COMPARED_HEADERS = ("content-type", "location", "www-authenticate", "retry-after")


def lean_route_of(client: httpx.AsyncClient) -> LeanClickRoute:
    app = client.app  # type: ignore[attr-defined]
    return next(r for r in app.router.routes if isinstance(r, LeanClickRoute))


@pytest.fixture
async def full(
    settings: Settings, make_client: Callable[[Settings], AbstractAsyncContextManager[httpx.AsyncClient]]
) -> AsyncIterator[httpx.AsyncClient]:
    """The app with FastAPI's route alone."""
    async with make_client(settings) as c:
        c.app.router.routes.remove(lean_route_of(c))  # type: ignore[attr-defined]
        yield c


@pytest.fixture
def handed_over(client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the requests the lean route hands to the FastAPI route (``[count]``)."""
    route = lean_route_of(client)
    count = [0]
    handle = route.full.handle

    async def counting(*args: Any) -> None:
        count[0] += 1
        await handle(*args)

    monkeypatch.setattr(route.full, "handle", counting)
    return count


def normalised(response: httpx.Response, names: dict[str, str]) -> dict[str, Any]:
    text = response.text
    for value, name in names.items():
        text = text.replace(value, f"<{name}>")
    text = re.sub(r"clk_[0-9a-f]{32}", "<click>", text)
    text = re.sub(r"req_[0-9a-f]{32}", "<request>", text)
    text = re.sub(r'"\d{4}-\d\d-\d\dT[0-9:.]+(Z|[+-]\d\d:\d\d)"', '"<time>"', text)
    headers = {h: response.headers.get(h) for h in COMPARED_HEADERS}
    if headers["location"]:
        headers["location"] = re.sub(r"clk_[0-9a-f]{32}", "<click>", headers["location"])
    return {"status": response.status_code, "headers": headers, "body": json.loads(text) if text else None}


async def _thing(client: httpx.AsyncClient, tokens: TokenFactory) -> tuple[str, str]:
    creator = new_id("acct")
    thing = await register(client, tokens, creator, f"https://lean.example/{creator}")
    return creator, str(thing["id"])


def _post(client: httpx.AsyncClient, body: Any, headers: dict[str, str], **kw: Any) -> Awaitable[httpx.Response]:
    return client.post("/v1/clicks", json=body, headers=headers, **kw)


async def new_click(client: httpx.AsyncClient, tokens: TokenFactory) -> Answer:
    creator, thing = await _thing(client, tokens)
    patron = new_id("acct")
    response = await _post(client, {"thing_id": thing}, tokens.headers(patron, ["clicks:write"]))
    return response, {creator: "creator", thing: "thing", patron: "patron"}


async def repeated_click(client: httpx.AsyncClient, tokens: TokenFactory) -> Answer:
    creator, thing = await _thing(client, tokens)
    patron = new_id("acct")
    first = await _post(client, {"thing_id": thing}, tokens.headers(patron))
    again = await _post(client, {"thing_id": thing}, tokens.headers(patron))
    assert again.json()["id"] == first.json()["id"]
    return again, {creator: "creator", thing: "thing", patron: "patron"}


async def unknown_thing(client: httpx.AsyncClient, tokens: TokenFactory) -> Answer:
    thing = new_id("thing")
    return await _post(client, {"thing_id": thing}, tokens.headers(new_id("acct"))), {thing: "thing"}


async def own_thing(client: httpx.AsyncClient, tokens: TokenFactory) -> Answer:
    creator, thing = await _thing(client, tokens)
    return await _post(client, {"thing_id": thing}, tokens.headers(creator)), {creator: "creator", thing: "thing"}


async def suspended_patron(client: httpx.AsyncClient, tokens: TokenFactory) -> Answer:
    creator, thing = await _thing(client, tokens)
    patron = new_id("acct")
    async with sessions_of(client)() as session, session.begin():
        session.add(Account(id=patron, giving_public=False, suspended=True, updated_at=utcnow()))
    response = await _post(client, {"thing_id": thing}, tokens.headers(patron))
    return response, {creator: "creator", thing: "thing", patron: "patron"}


def refused(body: Any, headers: Callable[[TokenFactory], dict[str, str]], **kw: Any) -> Case:
    async def case(client: httpx.AsyncClient, tokens: TokenFactory) -> Answer:
        _, thing = await _thing(client, tokens)
        given = body(thing) if callable(body) else body
        if "content" in kw:
            return await client.post("/v1/clicks", headers=headers(tokens), **kw), {thing: "thing"}
        return await _post(client, given, headers(tokens)), {thing: "thing"}

    return case


def _patron(tokens: TokenFactory) -> dict[str, str]:
    return tokens.headers(new_id("acct"))


async def with_idempotency_key(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> tuple[httpx.Response, dict[str, str]]:
    creator, thing = await _thing(client, tokens)
    patron = new_id("acct")
    headers = {**tokens.headers(patron), "Idempotency-Key": new_id("key")}
    first = await _post(client, {"thing_id": thing}, headers)
    replay = await _post(client, {"thing_id": thing}, headers)
    assert replay.json() == first.json()
    return replay, {creator: "creator", thing: "thing", patron: "patron"}


async def by_url(client: httpx.AsyncClient, tokens: TokenFactory) -> Answer:
    patron = new_id("acct")
    response = await _post(client, {"url": f"https://lean-url.example/{patron}"}, tokens.headers(patron))
    return response, {patron: "patron", response.json().get("thing_id", "-"): "thing"}


CASES: dict[str, tuple[Case, bool]] = {  # name: (case, whether the lean route answers it itself)
    "new click": (new_click, True),
    "repeated click": (repeated_click, True),
    "unknown thing": (unknown_thing, True),
    "own thing": (own_thing, True),
    "suspended patron": (suspended_patron, True),
    "no token": (refused(lambda t: {"thing_id": t}, lambda tokens: {}), False),
    "not a bearer token": (refused(lambda t: {"thing_id": t}, lambda tokens: {"Authorization": "Basic eDp5"}), False),
    "forged token": (refused(lambda t: {"thing_id": t}, lambda tokens: tokens.forged_headers(new_id("acct"))), False),
    "expired token": (refused(lambda t: {"thing_id": t}, lambda tokens: tokens.expired_headers(new_id("acct"))), False),
    "read scope only": (
        refused(lambda t: {"thing_id": t}, lambda tokens: tokens.headers(new_id("acct"), ["clicks:read"])),
        False,
    ),
    "operator token": (refused(lambda t: {"thing_id": t}, lambda tokens: tokens.operator_headers()), False),
    "empty body": (refused({}, _patron), False),
    "bad thing id": (refused({"thing_id": "thing_nope"}, _patron), False),
    "thing id and url": (refused(lambda t: {"thing_id": t, "url": "https://x.example/"}, _patron), False),
    "unknown field": (refused(lambda t: {"thing_id": t, "weight": 3}, _patron), False),
    "not an object": (refused(["thing_x"], _patron), False),
    "malformed json": (
        refused(None, lambda tokens: {**_patron(tokens), "Content-Type": "application/json"}, content=b'{"thing_id":'),
        False,
    ),
    "malformed json without a token": (
        refused(None, lambda tokens: {"Content-Type": "application/json"}, content=b'{"thing_id":'),
        False,
    ),
    "text body": (
        refused(None, lambda tokens: {**_patron(tokens), "Content-Type": "text/plain"}, content=b"thing_x"),
        False,
    ),
    "invalid body with a forged token": (refused({}, lambda tokens: tokens.forged_headers(new_id("acct"))), False),
    "idempotency key": (with_idempotency_key, False),
    "by url": (by_url, False),
}


@pytest.mark.parametrize("name", list(CASES))
async def test_the_lean_route_answers_as_the_fastapi_route(
    name: str, client: httpx.AsyncClient, full: httpx.AsyncClient, tokens: TokenFactory, handed_over: list[int]
) -> None:
    case, lean_answers = CASES[name]
    expected = normalised(*await case(full, tokens))
    before = handed_over[0]
    got = normalised(*await case(client, tokens))
    assert got == expected
    assert (handed_over[0] == before) == lean_answers, "answered by the lean route" if lean_answers else "handed over"


async def test_a_lean_click_is_counted_under_the_routes_template(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    _, thing = await _thing(client, tokens)
    await _post(client, {"thing_id": thing}, tokens.headers(new_id("acct")))
    metrics = (await client.get("/metrics")).text
    assert re.search(r'trickle_http_requests_total\{method="POST",route="/v1/clicks",status="201"\} [1-9]', metrics)
