"""/wallet: balance, the deposit's quoted fee and its Idempotency-Key, the budget's errors by their fields."""

from __future__ import annotations

import re

from .support.api import balances, budget, deposit, json_of, problem, session_tokens

ACCOUNT = "acct_0190a1b2c3d4"


async def sign_in(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.on("POST", "/v1/sessions", session_tokens(ACCOUNT), status=201)
    fake_api.on("GET", f"/v1/accounts/{ACCOUNT}/balances", balances(ACCOUNT, wallet=1234))
    fake_api.on("GET", f"/v1/accounts/{ACCOUNT}/budget", budget(ACCOUNT, amount=500))
    await browser.get("/sign-in")
    assert (await browser.submit("/sign-in", {"email": "a@example.org", "password": "x" * 12})).status_code == 303


async def test_the_wallet_shows_the_balance_and_the_budget(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api)
    page = (await browser.get("/wallet")).text
    assert "12.34 EUR" in page
    assert 'name="amount" type="text" value="5.00"' in page
    assert fake_api.requests("GET", f"/v1/accounts/{ACCOUNT}/balances")[0].headers["authorization"] == "Bearer access-1"


async def test_a_deposit_is_quoted_then_paid_once_with_the_pages_key(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api)
    quote = {"method": "card", "gross": {"amount": 2000, "currency": "EUR"}, "fee": {"amount": 70, "currency": "EUR"}}
    quote["net"] = {"amount": 1930, "currency": "EUR"}
    fake_api.on("POST", "/v1/deposits/quote", quote)
    fake_api.on("POST", "/v1/deposits", deposit("dep_0190aa", ACCOUNT), status=202)
    fake_api.on("GET", "/v1/deposits/dep_0190aa", deposit("dep_0190aa", ACCOUNT, status="succeeded"))
    await browser.get("/wallet")
    confirm = await browser.submit("/wallet/deposit-quote", {"method": "card", "amount": "20", "sandbox": "succeed"})
    assert confirm.status_code == 200
    assert "0.70 EUR" in confirm.text and "19.30 EUR" in confirm.text
    assert json_of(fake_api.requests("POST", "/v1/deposits/quote")[0]) == {
        "method": "card",
        "amount": {"amount": 2000, "currency": "EUR"},
    }
    key = re.search(r'name="idempotency_key" value="([^"]+)"', confirm.text)
    assert key
    form = {"method": "card", "amount_cents": "2000", "sandbox": "succeed", "idempotency_key": key.group(1)}
    token = browser.csrf_token()
    paid = await browser.submit("/wallet/deposits", form)
    assert paid.status_code == 303 and paid.headers["location"] == "/wallet/deposits/dep_0190aa"
    again = await browser.client.post("/wallet/deposits", data=form | {"csrf_token": token})  # a double submit
    assert again.status_code == 303
    sent = fake_api.requests("POST", "/v1/deposits")
    assert [r.headers["idempotency-key"] for r in sent] == [key.group(1), key.group(1)]  # one deposit, twice asked
    assert json_of(sent[0]) == {"method": "card", "amount": {"amount": 2000, "currency": "EUR"}, "sandbox": "succeed"}
    outcome = await browser.get("/wallet/deposits/dep_0190aa")
    assert "19.30 EUR were added to your wallet" in outcome.text


async def test_an_amount_people_cannot_pay_is_refused_by_its_field(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api)
    await browser.get("/wallet")
    response = await browser.submit("/wallet/deposit-quote", {"method": "card", "amount": "12.345"})
    assert response.status_code == 422
    assert 'id="amount-error">Enter an amount with at most two decimals' in response.text
    assert 'value="12.345"' in response.text
    assert fake_api.requests("POST", "/v1/deposits/quote") == []


async def test_the_budgets_problem_lands_by_its_field(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api)
    fake_api.on(
        "PUT",
        f"/v1/accounts/{ACCOUNT}/budget",
        problem(
            422,
            "max_below_budget",
            "The maximum is below the budget",
            [{"field": "body.max_per_month.amount", "message": "At least the budget"}],
        ),
    )
    await browser.get("/wallet")
    response = await browser.submit(
        "/wallet/budget", {"enabled": "on", "amount": "5", "min_per_click": "", "max_per_month": "4"}
    )
    assert response.status_code == 422
    assert 'id="max_per_month-error">At least the budget</p>' in response.text
    assert 'name="max_per_month" type="text" value="4"' in response.text
    (sent,) = fake_api.requests("PUT", f"/v1/accounts/{ACCOUNT}/budget")
    assert json_of(sent)["max_per_month"] == {"amount": 400, "currency": "EUR"}


async def test_a_saved_budget_goes_back_to_the_wallet(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api)
    fake_api.on("PUT", f"/v1/accounts/{ACCOUNT}/budget", budget(ACCOUNT, amount=700))
    await browser.get("/wallet")
    response = await browser.submit("/wallet/budget", {"enabled": "on", "amount": "7"})
    assert response.status_code == 303 and response.headers["location"].startswith("/wallet?saved=budget")
    assert json_of(fake_api.requests("PUT", f"/v1/accounts/{ACCOUNT}/budget")[0]) == {
        "enabled": True,
        "amount": {"amount": 700, "currency": "EUR"},
        "min_per_click": None,
        "max_per_month": None,
    }


async def test_a_tampered_deposit_amount_is_refused_on_the_page_not_a_500(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api)
    fake_api.on("POST", "/v1/deposits", problem(422, "validation_error", "amount must be positive"), status=422)
    await browser.get("/wallet")
    refused = await browser.submit(
        "/wallet/deposits", {"method": "card", "amount_cents": "12abc", "idempotency_key": "k" * 16}
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("text/html")
    assert "amount must be positive" in refused.text
