"""/clicks: this month's clicks and the share each would get if the month closed now (SPEC 5's split)."""

from __future__ import annotations

import re
from typing import Any

from .support.api import balances, budget, eur, session_tokens

ACCOUNT = "acct_0190a1b2c3d4"


def click(n: int, owner: str | None = "acct_creator0001", weight: int = 1) -> dict[str, Any]:
    return {
        "id": f"click_{n:04d}",
        "patron_id": ACCOUNT,
        "thing_id": f"thing_{n:04d}",
        "owner_id": owner,
        "period": "2026-12",
        "weight": weight,
        "public": False,
        "subscription_id": None,
        "created_at": f"2026-12-0{n}T10:00:00Z",
        "revoked_at": None,
    }


def thing(n: int) -> dict[str, Any]:
    return {
        "id": f"thing_{n:04d}",
        "url": f"https://blog.example/{n}",
        "domain": "blog.example",
        "owner_id": "acct_creator0001",
        "claim_status": "verified",
        "title": f"Post number {n}",
        "category": None,
        "claimed_at": "2026-11-02T00:00:00Z",
        "weight": 1,
        "created_at": "2026-11-01T00:00:00Z",
        "updated_at": "2026-11-01T00:00:00Z",
    }


async def clicks_page(browser, fake_api, clicks: list[dict[str, Any]], wallet: int, **rules: Any) -> str:  # type: ignore[no-untyped-def]
    fake_api.on("POST", "/v1/sessions", session_tokens(ACCOUNT), status=201)
    period = {"id": "2026-12", "state": "open", "opened_at": "2026-12-01T00:00:00Z", "sealed_at": None}
    fake_api.on("GET", "/v1/periods/current", period | {"ends_at": "2027-01-01T00:00:00Z"})
    fake_api.on("GET", "/v1/clicks", {"data": clicks, "has_more": False})
    fake_api.on("GET", f"/v1/accounts/{ACCOUNT}/budget", budget(ACCOUNT, **rules))
    fake_api.on("GET", f"/v1/accounts/{ACCOUNT}/balances", balances(ACCOUNT, wallet=wallet))
    for c in clicks:
        n = int(c["thing_id"].split("_")[1])
        fake_api.on("GET", f"/v1/things/{c['thing_id']}", thing(n))
    await browser.get("/sign-in")
    await browser.submit("/sign-in", {"email": "a@example.org", "password": "x" * 12})
    response = await browser.get("/clicks")
    assert response.status_code == 200, response.text
    (request,) = fake_api.requests("GET", "/v1/clicks")
    assert request.url.params["period"] == "2026-12"
    return response.text


def shares(page: str) -> list[str]:
    return re.findall(r'<td data-label="Share now" class="amount">([0-9.]+)</td>', page)


async def test_three_clicks_share_a_five_euro_budget_by_largest_remainder(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    page = await clicks_page(browser, fake_api, [click(1), click(2), click(3)], wallet=1000, amount=500)
    assert shares(page) == ["1.67", "1.67", "1.66"]  # the spare cents to the earliest clicks
    assert "Post number 1" in page and "5.00 would be shared" in page


async def test_a_wallet_short_of_the_budget_shares_what_it_holds(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    page = await clicks_page(browser, fake_api, [click(1), click(2), click(3)], wallet=100, amount=500)
    assert shares(page) == ["0.34", "0.33", "0.33"]
    assert "your wallet holds 1.00" in page


async def test_min_per_click_raises_the_spend_up_to_the_monthly_max(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    rules = {"amount": 200, "min_per_click": eur(100), "max_per_month": eur(250)}
    page = await clicks_page(browser, fake_api, [click(1), click(2), click(3)], wallet=5000, **rules)
    assert shares(page) == ["0.84", "0.83", "0.83"]  # T = min(max(2.00, 3 × 1.00), 2.50)


async def test_giving_turned_off_shares_nothing(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    page = await clicks_page(browser, fake_api, [click(1)], wallet=5000, amount=500, enabled=False)
    assert shares(page) == ["0.00"] and "Giving is off" in page
