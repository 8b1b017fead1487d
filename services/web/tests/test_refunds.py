"""/wallet: "Refund my balance": the amount is the whole balance unless the patron types less; a
confirmation page (with its own Idempotency-Key) before anything is asked; the API's problem next
to the amount; the refunds listed with their status."""

from __future__ import annotations

import re
from typing import Any

from .support.api import balances, budget, eur, json_of, problem, session_tokens

ACCOUNT = "acct_0190a1b2c3d4"


def refund(refund_id: str, amount: int, status: str = "requested") -> dict[str, Any]:
    return {
        "id": refund_id,
        "account_id": ACCOUNT,
        "amount": eur(amount),
        "provider": "sandbox",
        "status": status,
        "created_at": "2026-12-03T06:00:00Z",
        "updated_at": "2026-12-03T06:00:00Z",
    }


async def sign_in(browser, fake_api, refunds: list[dict[str, Any]] | None = None) -> None:  # type: ignore[no-untyped-def]
    fake_api.on("POST", "/v1/sessions", session_tokens(ACCOUNT), status=201)
    fake_api.on("GET", f"/v1/accounts/{ACCOUNT}/balances", balances(ACCOUNT, wallet=1234))
    fake_api.on("GET", f"/v1/accounts/{ACCOUNT}/budget", budget(ACCOUNT, amount=500))
    fake_api.on("GET", "/v1/refunds", {"data": refunds or [], "has_more": False})
    await browser.get("/sign-in")
    assert (await browser.submit("/sign-in", {"email": "a@example.org", "password": "x" * 12})).status_code == 303


async def test_the_wallet_offers_the_whole_balance_back_and_lists_the_refunds(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api, [refund("ref_01", 700, "paid"), refund("ref_02", 300, "processing")])
    page = (await browser.get("/wallet")).text
    assert 'id="refund-amount" name="amount" type="text" value="12.34"' in page
    assert 'action="/wallet/refund"' in page
    assert re.search(r"7\.00 EUR.*?paid", page, re.S) and re.search(r"3\.00 EUR.*?processing", page, re.S)
    assert fake_api.requests("GET", "/v1/refunds")[0].url.params["limit"]


async def test_a_refund_is_confirmed_then_asked_once_with_the_pages_key(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api)
    fake_api.on("POST", "/v1/refunds", refund("ref_03", 1000), status=202)
    confirm = await browser.get("/wallet/refund?amount=10")
    assert confirm.status_code == 200 and "10.00 EUR" in confirm.text
    assert fake_api.requests("POST", "/v1/refunds") == []  # nothing asked before the confirmation
    key = re.search(r'name="idempotency_key" value="([^"]+)"', confirm.text)
    assert key
    form = {"amount_cents": "1000", "idempotency_key": key.group(1)}
    token = browser.csrf_token()
    asked = await browser.submit("/wallet/refunds", form)
    assert asked.status_code == 303 and asked.headers["location"] == "/wallet?refunded=ref_03#refunds"
    again = await browser.client.post("/wallet/refunds", data=form | {"csrf_token": token})  # a double submit
    assert again.status_code == 303
    sent = fake_api.requests("POST", "/v1/refunds")
    assert [r.headers["idempotency-key"] for r in sent] == [key.group(1), key.group(1)]
    assert json_of(sent[0]) == {"account_id": ACCOUNT, "amount": {"amount": 1000, "currency": "EUR"}}
    other = await browser.get("/wallet/refund?amount=10")
    assert key.group(1) not in other.text  # a new key per render


async def test_without_an_amount_the_whole_balance_is_confirmed(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api)
    confirm = await browser.get("/wallet/refund")
    assert confirm.status_code == 200 and "12.34 EUR" in confirm.text
    assert 'name="amount_cents" value="1234"' in confirm.text


async def test_a_refused_refund_shows_the_problem_by_the_amount_and_keeps_it(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api)
    typo = await browser.get("/wallet/refund?amount=1.234")
    assert typo.status_code == 422
    assert 'id="refund-amount-error">Enter an amount with at most two decimals' in typo.text
    assert 'id="refund-amount" name="amount" type="text" value="1.234"' in typo.text
    fake_api.on(
        "POST",
        "/v1/refunds",
        problem(
            422,
            "amount_above_balance",
            "At most 1234 EUR minor units can be refunded",
            [{"field": "body.amount.amount", "message": "At most 12.34 EUR can be refunded"}],
        ),
    )
    await browser.get("/wallet/refund?amount=20")
    refused = await browser.submit("/wallet/refunds", {"amount_cents": "2000", "idempotency_key": "k" * 20})
    assert refused.status_code == 422
    assert 'id="refund-amount-error">At most 12.34 EUR can be refunded' in refused.text
    assert 'id="refund-amount" name="amount" type="text" value="20.00"' in refused.text
    fake_api.on("POST", "/v1/refunds", problem(409, "nothing_to_refund", "The wallet holds no unspent money"))
    await browser.get("/wallet/refund?amount=5")
    empty = await browser.submit("/wallet/refunds", {"amount_cents": "500", "idempotency_key": "k" * 20})
    assert empty.status_code == 422 and 'id="refund-amount-error">The wallet holds no unspent money' in empty.text
