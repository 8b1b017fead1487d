"""What a browser scenario prepares (or verifies) through the public API rather than through pages.

A scenario drives in the browser only what it is about; the people it needs around it (a patron
with money for the creator's scenario, an app for the consent page) are made here through the
gateway, as any client of the API would, with the contract's endpoints of #13 (``POST
/v1/people``, ``POST /v1/email-verifications``, ``POST /v1/sessions``). Everything waits on
observed state (``eventually``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from tests.e2e.platform import Platform, eventually

TIMEOUT = httpx.Timeout(20.0)
PASSWORD = "correct horse battery staple 42"


def expect(response: httpx.Response, *statuses: int) -> Any:
    wanted = statuses or (HTTPStatus.OK,)
    if response.status_code not in wanted:
        raise AssertionError(
            f"{response.request.method} {response.request.url.path}: HTTP {response.status_code} "
            f"(expected {', '.join(str(int(s)) for s in wanted)}): {response.text[:800]}"
        )
    return response.json() if response.content else None


def idempotent() -> dict[str, str]:
    return {"Idempotency-Key": secrets.token_hex(16)}


def eur(amount: int) -> dict[str, Any]:
    return {"amount": amount, "currency": "EUR"}


def money_text(money: dict[str, Any]) -> str:
    """Money as the pages write it: ``12.34 EUR``."""
    amount = int(money["amount"])
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount) // 100}.{abs(amount) % 100:02d} {money['currency']}"


def unique_email(name: str) -> str:
    return f"{name.lower()}.{secrets.token_hex(4)}@example.org"


def anonymous(platform: Platform) -> httpx.Client:
    return httpx.Client(base_url=platform.gateway_url, timeout=TIMEOUT)


@dataclass
class Person:
    """A person who signed up with email and password; ``http`` carries a session's bearer token once signed in."""

    name: str
    email: str
    password: str
    account_id: str
    http: httpx.Client | None = None

    def api(self) -> httpx.Client:
        assert self.http is not None, f"{self.name} has not signed in through the API"
        return self.http


def sign_up(platform: Platform, name: str, *, verified: bool = True) -> Person:
    """``POST /v1/people``; with ``verified``, the mailed link's token is redeemed (as the page would)."""
    email = unique_email(name)
    with anonymous(platform) as anon:
        out = expect(
            anon.post("/v1/people", json={"email": email, "password": PASSWORD, "display_name": name}),
            HTTPStatus.CREATED,
        )
        person = Person(name, email, PASSWORD, out["account"]["id"])
        if verified:
            link = platform.mailbox.wait_for(to=email, containing="/verify-email?token=").links("/verify-email")[0]
            token = parse_qs(urlsplit(link).query)["token"][0]
            expect(anon.post("/v1/email-verifications", json={"token": token}))
    return person


def sign_in(platform: Platform, person: Person) -> Person:
    """``POST /v1/sessions``: the first-party session's bearer token for the API."""
    with anonymous(platform) as anon:
        tokens = expect(
            anon.post("/v1/sessions", json={"email": person.email, "password": person.password}), HTTPStatus.CREATED
        )
    person.account_id = person.account_id or tokens["account_id"]
    person.http = httpx.Client(
        base_url=platform.gateway_url, timeout=TIMEOUT, headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    return person


def fund(platform: Platform, person: Person, *, deposit: int = 10_000, budget: int = 3_000) -> None:
    """A card deposit through the sandbox (waited until credited) and a monthly budget."""
    api = person.api()
    expect(api.put(f"/v1/accounts/{person.account_id}/budget", json={"amount": eur(budget)}))
    deposit_id = expect(
        api.post("/v1/deposits", json={"method": "card", "amount": eur(deposit)}, headers=idempotent()),
        HTTPStatus.ACCEPTED,
    )["id"]
    done = eventually(
        f"{person.name}'s deposit to complete",
        lambda: expect(api.get(f"/v1/deposits/{deposit_id}")),
        lambda d: d["status"] != "pending",
        platform=platform,
    )
    assert done["status"] == "succeeded", done


def balances(person: Person) -> dict[str, Any]:
    return dict(expect(person.api().get(f"/v1/accounts/{person.account_id}/balances")))


def operator(platform: Platform) -> httpx.Client:
    form = {
        "grant_type": "client_credentials",
        "client_id": "operator",
        "client_secret": platform.operator_secret,
        "scope": "operator",
    }
    with anonymous(platform) as anon:
        token = expect(anon.post("/v1/oauth/token", data=form))
    return httpx.Client(
        base_url=platform.gateway_url, timeout=TIMEOUT, headers={"Authorization": f"Bearer {token['access_token']}"}
    )
