"""Every id on a page is unique (aria-describedby and label for= point at one element): the
wallet's forms each name their own form-level error, even when several show one at once."""

from __future__ import annotations

import re
from collections import Counter

from starlette.requests import Request

from trickle_web.forms import Form
from trickle_web.templating import TEMPLATES

from .support.api import balances, budget, problem, session_tokens

ACCOUNT = "acct_0190a1b2c3d4"


def duplicate_ids(page: str) -> list[str]:
    counts = Counter(re.findall(r'\sid="([^"]+)"', page))
    return [i for i, n in counts.items() if n > 1]


def a_request(path: str) -> Request:
    return Request({"type": "http", "method": "GET", "path": path, "query_string": b"", "headers": []})


def test_every_form_of_the_wallet_showing_an_error_at_once_keeps_its_ids_unique() -> None:
    forms = {name: Form(error=f"The {name} was refused.") for name in ("deposit_form", "budget_form", "refund_form")}
    page = TEMPLATES.get_template("patron/wallet.html").render(
        {
            "request": a_request("/wallet"),
            "csrf_field": "csrf_token",
            "csrf_token": "t",
            "idempotency_field": "idempotency_key",
            "account_id": ACCOUNT,
            "balances": None,
            "budget": None,
            "refunds": None,
            "methods": [("card", "Card")],
            "sandbox_outcomes": [],
            **forms,
        }
    )
    for name in forms:
        assert f"The {name} was refused." in page
    assert duplicate_ids(page) == []


async def test_a_refused_deposit_names_its_own_error(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.on("POST", "/v1/sessions", session_tokens(ACCOUNT), status=201)
    fake_api.on("GET", f"/v1/accounts/{ACCOUNT}/balances", balances(ACCOUNT))
    fake_api.on("GET", f"/v1/accounts/{ACCOUNT}/budget", budget(ACCOUNT))
    fake_api.on("GET", "/v1/refunds", {"data": [], "has_more": False})
    fake_api.on("POST", "/v1/deposits/quote", problem(409, "method_unavailable", "The provider is away"))
    await browser.get("/sign-in")
    await browser.submit("/sign-in", {"email": "a@example.org", "password": "x" * 12})
    await browser.get("/wallet")
    refused = await browser.submit("/wallet/deposit-quote", {"method": "card", "amount": "20"})
    assert refused.status_code == 422 and "The provider is away" in refused.text
    assert 'id="deposit-form-error"' in refused.text
    assert duplicate_ids(refused.text) == []
