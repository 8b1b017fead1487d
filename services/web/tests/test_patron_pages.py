"""/subscriptions, /tips, /statements (+ CSV) and /apps against a fake API: what they send and show."""

from __future__ import annotations

import re

import httpx

from .support.api import eur, json_of, problem, session_tokens

ACCOUNT = "acct_0190a1b2c3d4"
CREATOR = "acct_0190c0ffee00"


async def sign_in(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.on("POST", "/v1/sessions", session_tokens(ACCOUNT), status=201)
    await browser.get("/sign-in")
    await browser.submit("/sign-in", {"email": "a@example.org", "password": "x" * 12})


def page_key(page: str) -> str:
    found = re.search(r'name="idempotency_key" value="([^"]+)"', page)
    assert found
    return found.group(1)


async def test_a_tip_goes_with_its_key_and_an_insufficient_wallet_is_said_above_the_form(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api)
    fake_api.on("GET", "/v1/transfers", {"data": [], "has_more": False})
    fake_api.on("POST", "/v1/transfers", problem(409, "insufficient_funds", "Your wallet holds 1.00 EUR."))
    page = await browser.get(f"/tips?to={CREATOR}")
    assert f'value="{CREATOR}"' in page.text
    key = page_key(page.text)
    form = {"to_account_id": CREATOR, "amount": "3", "note": "Thanks!", "idempotency_key": key}
    refused = await browser.submit("/tips", form)
    assert refused.status_code == 422
    assert 'class="form-error" role="alert" id="form-error">Your wallet holds 1.00 EUR.' in refused.text
    assert 'value="Thanks!"' in refused.text
    (sent,) = fake_api.requests("POST", "/v1/transfers")
    assert sent.headers["idempotency-key"] == key
    assert json_of(sent) == {"to_account_id": CREATOR, "amount": eur(300), "note": "Thanks!"}
    assert fake_api.requests("GET", "/v1/transfers")[0].url.params["direction"] == "sent"


async def test_subscriptions_list_start_and_cancel(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api)
    subscription = {
        "id": "sub_0190aa",
        "patron_id": ACCOUNT,
        "thing_id": "thing_0190bb",
        "periods": 3,
        "first_period": "2026-12",
        "last_period": "2027-02",
        "created_at": "2026-12-03T06:00:00Z",
        "cancelled_at": None,
    }
    fake_api.on("GET", "/v1/subscriptions", {"data": [subscription], "has_more": False})
    fake_api.on("POST", "/v1/subscriptions", subscription, status=201)
    fake_api.on("DELETE", "/v1/subscriptions/sub_0190aa", subscription | {"cancelled_at": "2026-12-03T07:00:00Z"})
    page = await browser.get("/subscriptions")
    assert "2026-12 – 2027-02" in page.text
    started = await browser.submit(
        "/subscriptions", {"thing_id": "thing_0190bb", "periods": "3", "idempotency_key": page_key(page.text)}
    )
    assert started.status_code == 303
    assert json_of(fake_api.requests("POST", "/v1/subscriptions")[0]) == {"thing_id": "thing_0190bb", "periods": 3}
    await browser.get("/subscriptions")
    cancelled = await browser.submit("/subscriptions/sub_0190aa/cancel", {})
    assert cancelled.status_code == 303 and len(fake_api.requests("DELETE", "/v1/subscriptions/sub_0190aa")) == 1


async def test_the_statement_and_its_csv(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api)
    line = {
        "id": "line_01",
        "entry_id": "entry_01",
        "entry_kind": "deposit",
        "reference": "dep_01",
        "period": None,
        "posted_at": "2026-12-03T06:00:00Z",
        "ledger_account": f"wallet:{ACCOUNT}",
        "account_kind": "patron_wallet",
        "direction": "credit",
        "amount": eur(1930),
        "balance_after": eur(1930),
    }
    statement = f"/v1/ledger/accounts/{ACCOUNT}/statement"
    fake_api.on("GET", statement, {"data": [line], "has_more": False, "account_id": ACCOUNT})
    csv = "posted_at,entry_kind,amount\n2026-12-03T06:00:00Z,deposit,19.30\n"
    fake_api.on("GET", statement + ".csv", httpx.Response(200, text=csv, headers={"content-type": "text/csv"}))
    page = await browser.get("/statements")
    assert "19.30 EUR" in page.text and 'href="/statements.csv"' in page.text
    download = await browser.client.get("/statements.csv")
    assert download.status_code == 200 and download.text == csv
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    assert fake_api.requests("GET", statement + ".csv")[0].headers["authorization"] == "Bearer access-1"


async def test_authorized_apps_are_listed_in_words_and_revoked(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api)
    app = {
        "client_id": "app_0190podcast",
        "client_name": "Podcast Player",
        "scopes": [{"scope": "clicks:write", "description": "Click things for you"}],
        "authorized_at": "2026-12-01T10:00:00Z",
        "last_used_at": "2026-12-02T10:00:00Z",
    }
    apps = f"/v1/accounts/{ACCOUNT}/authorized-apps"
    fake_api.on("GET", apps, {"data": [app], "has_more": False})
    fake_api.on("DELETE", f"{apps}/app_0190podcast", httpx.Response(204))
    page = await browser.get("/apps")
    assert "Podcast Player" in page.text and "Click things for you" in page.text
    revoked = await browser.submit("/apps/app_0190podcast/revoke", {})
    assert revoked.status_code == 303 and revoked.headers["location"] == "/apps?done=revoked"
    assert len(fake_api.requests("DELETE", f"{apps}/app_0190podcast")) == 1
