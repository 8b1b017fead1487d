"""/creator: things and claims with their verification steps and "verify now", earnings with a
payout form (Idempotency-Key per render, the problem by its field), the widget snippet with its
preview, webhook endpoints with the secret shown once."""

from __future__ import annotations

import re
from typing import Any

import httpx

from .support.api import balances, eur, json_of, problem, session_tokens

ACCOUNT = "acct_0190a1b2c3d4"
KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')


def thing(thing_id: str, url: str, status: str = "verified", **extra: Any) -> dict[str, Any]:
    return {
        "id": thing_id, "url": url, "domain": url.split("/")[2], "owner_id": ACCOUNT, "claim_status": status,
        "claim_hint": None, "title": None, "category": None, "weight": 1, "created_at": "2026-12-01T00:00:00Z",
        "updated_at": "2026-12-01T00:00:00Z", "claimed_at": None,
    } | extra  # fmt: skip


def claim(
    claim_id: str, domain: str, prefix: str | None = None, status: str = "pending", **extra: Any
) -> dict[str, Any]:
    return {
        "id": claim_id, "account_id": ACCOUNT, "domain": domain, "path_prefix": prefix, "token": f"tok-{claim_id}",
        "status": status, "last_error": None, "created_at": "2026-12-01T00:00:00Z", "verified_at": None,
    } | extra  # fmt: skip


def event_type(name: str) -> dict[str, Any]:
    return {"name": name, "description": "A click", "schema_version": 1, "topic": "clicks", "data_schema": {}}


def endpoint(endpoint_id: str, url: str) -> dict[str, Any]:
    return {
        "id": endpoint_id, "account_id": ACCOUNT, "all_accounts": False, "url": url, "description": "",
        "event_types": [], "enabled": True, "disabled_reason": None, "disabled_at": None, "failing_since": None,
        "previous_secret_expires_at": None, "created_at": "2026-12-01T00:00:00Z", "updated_at": "2026-12-01T00:00:00Z",
    }  # fmt: skip


async def sign_in(browser, fake_api, things=(), claims=()) -> None:  # type: ignore[no-untyped-def]
    fake_api.on("POST", "/v1/sessions", session_tokens(ACCOUNT), status=201)
    fake_api.on("GET", "/v1/things", {"data": list(things), "has_more": False})
    fake_api.on("GET", "/v1/claims", {"data": list(claims), "has_more": False})
    fake_api.on("GET", f"/v1/accounts/{ACCOUNT}/balances", balances(ACCOUNT) | {"earnings": eur(4200)})
    await browser.get("/sign-in")
    assert (await browser.submit("/sign-in", {"email": "a@example.org", "password": "x" * 12})).status_code == 303


async def test_creator_pages_need_a_signed_in_person(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    for path in ("/creator", "/creator/earnings", "/creator/widget", "/creator/webhooks"):
        response = await browser.get(path)
        assert response.status_code == 303 and response.headers["location"].startswith("/sign-in?next="), path
    assert fake_api.seen == []


async def test_things_and_each_claims_verification_steps(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    things = [thing("thing_1", "https://blog.example.org/posts/1", title="First post")]
    claims = [claim("clm_1", "blog.example.org"), claim("clm_2", "github.com", "/ada")]
    await sign_in(browser, fake_api, things, claims)
    page = (await browser.get("/creator")).text
    assert "First post" in page and "42.00 EUR" in page
    # A domain: the well-known file or the meta tag on its home page, with the claim's token.
    assert "https://blog.example.org/.well-known/trickle-verification" in page
    assert '&lt;meta name="trickle-verification" content="tok-clm_1"&gt;' in page
    # A shared host's prefix: the page at the prefix, the meta tag or a rel="me" link.
    assert "https://github.com/ada" in page and 'rel="me"' in page and "tok-clm_2" in page
    assert page.count("Verify now") == 2


async def test_verify_now_shows_the_outcome(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api, claims=[claim("clm_1", "blog.example.org")])
    await browser.get("/creator")
    fake_api.on(
        "POST",
        "/v1/claims/clm_1/verify",
        {
            "claim": claim("clm_1", "blog.example.org", status="failed"),
            "verified": False,
            "reason": "The token was not found",
        },
    )
    failed = await browser.submit("/creator/claims/clm_1/verify", {})
    assert "Not verified yet: The token was not found" in failed.text
    verified = claim("clm_1", "blog.example.org", status="verified")
    fake_api.on(
        "POST", "/v1/claims/clm_1/verify", {"claim": verified, "verified": True, "claimed_thing_ids": ["thing_9"]}
    )
    done = await browser.submit("/creator/claims/clm_1/verify", {})
    assert "blog.example.org is verified: 1 thing(s) became yours" in done.text


async def test_a_refused_thing_shows_the_problem_by_the_url_with_what_was_typed(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api)
    await browser.get("/creator")
    fake_api.on("POST", "/v1/things", problem(409, "url_claimed", "Another account verified a claim on this URL"))
    response = await browser.submit("/creator/things", {"url": "https://taken.example/x", "title": "Mine"})
    assert response.status_code == 422
    assert 'id="url-error">Another account verified a claim on this URL' in response.text
    assert 'value="https://taken.example/x"' in response.text and 'value="Mine"' in response.text


async def test_a_claims_problem_lands_on_the_prefix_field(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api)
    await browser.get("/creator")
    fake_api.on("POST", "/v1/claims", problem(422, "shared_host_needs_prefix", "github.com is shared: claim your path"))
    response = await browser.submit("/creator/claims", {"domain": "github.com", "path_prefix": ""})
    assert 'id="path_prefix-error">github.com is shared: claim your path' in response.text
    assert 'value="github.com"' in response.text
    fake_api.on("POST", "/v1/claims", claim("clm_3", "github.com", "/ada"), status=201)
    await browser.get("/creator")
    made = await browser.submit("/creator/claims", {"domain": "github.com", "path_prefix": "/ada"})
    assert made.status_code == 303
    assert json_of(fake_api.requests("POST", "/v1/claims")[-1]) == {"domain": "github.com", "path_prefix": "/ada"}


async def test_a_payout_is_asked_once_per_form_render_and_its_problem_lands_by_the_amount(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api)
    fake_api.on(
        "GET", f"/v1/ledger/accounts/{ACCOUNT}/statement", {"data": [], "has_more": False, "account_id": ACCOUNT}
    )
    fake_api.on("GET", "/v1/payouts", {"data": [], "has_more": False})
    page = await browser.get("/creator/earnings")
    assert "42.00 EUR" in page.text
    key = KEY.search(page.text)
    assert key
    fake_api.on(
        "POST",
        "/v1/payouts",
        problem(
            422,
            "validation_error",
            "Invalid input",
            [{"field": "body.amount.amount", "message": "Above your earnings"}],
        ),
    )
    refused = await browser.submit(
        "/creator/payouts", {"amount": "99", "sandbox": "succeed", "idempotency_key": key.group(1)}
    )
    assert refused.status_code == 422
    assert 'id="amount-error">Above your earnings' in refused.text and 'value="99"' in refused.text
    new_key = KEY.search(refused.text)
    assert new_key and new_key.group(1) != key.group(1)  # the corrected form is another request
    payout = {"id": "po_1", "account_id": ACCOUNT, "amount": eur(2500), "provider": "sandbox", "status": "requested"}
    payout |= {"created_at": "2026-12-03T06:00:00Z", "updated_at": "2026-12-03T06:00:00Z"}
    fake_api.on("POST", "/v1/payouts", httpx.Response(202, json=payout))
    form = {"amount": "25", "sandbox": "succeed", "idempotency_key": new_key.group(1)}
    token = browser.csrf_token()
    first = await browser.submit("/creator/payouts", form)
    again = await browser.client.post("/creator/payouts", data=form | {"csrf_token": token})  # a double submit
    assert first.status_code == again.status_code == 303
    sent = fake_api.requests("POST", "/v1/payouts")[1:]
    assert [r.headers["idempotency-key"] for r in sent] == [new_key.group(1)] * 2
    assert json_of(sent[0]) == {"amount": {"amount": 2500, "currency": "EUR"}, "sandbox": "succeed"}


async def test_an_amount_nobody_can_pay_is_refused_before_the_api(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api)
    await browser.get("/creator/earnings")
    response = await browser.submit("/creator/payouts", {"amount": "1.234"})
    assert response.status_code == 422 and 'id="amount-error"' in response.text and 'value="1.234"' in response.text
    assert fake_api.requests("POST", "/v1/payouts") == []


async def test_the_widget_snippet_and_its_preview(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api, things=[thing("thing_1", "https://blog.example.org/posts/1")])
    fake_api.on(
        "GET",
        "/v1/things/thing_1/counts",
        {"thing_id": "thing_1", "period": "2026-12", "period_clicks": 7, "all_time_clicks": 30},
    )
    page = (await browser.get("/creator/widget?thing_id=thing_1")).text
    assert "&lt;script src=&#34;http://web.test/v1/embed.js&#34; async&gt;&lt;/script&gt;" in page
    assert "data-thing-id=&#34;thing_1&#34;" in page
    assert '<img src="/v1/things/thing_1/button.svg"' in page and "7 click(s) this month, 30 in all" in page
    fake_api.on("GET", "/v1/things/lookup", problem(404, "not_found", "No thing"))
    by_url = (await browser.get("/creator/widget?url=https://new.example/a%22b")).text
    assert "data-url=&#34;https://new.example/a&amp;quot;b&#34;" in by_url  # escaped inside the snippet too
    assert "the button shows 0 until its first click" in by_url
    bad = await browser.get("/creator/widget?url=javascript:alert(1)")
    assert bad.status_code == 422 and 'id="url-error"' in bad.text


async def test_a_webhook_endpoints_secret_is_shown_once(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api)
    made = endpoint("ep_1", "https://hooks.example/t")
    fake_api.on("GET", "/v1/webhook-endpoints", {"data": [], "has_more": False})
    fake_api.on("GET", "/v1/event-types", {"data": [event_type("clicks.click.registered")]})
    page = await browser.get("/creator/webhooks")
    key = KEY.search(page.text)
    assert key and "clicks.click.registered" in page.text
    fake_api.on("POST", "/v1/webhook-endpoints", made | {"secret": "whsec_abc"}, status=201)
    form = {"url": "https://hooks.example/t", "description": "", "event_types": "clicks.click.registered"}
    created = await browser.submit("/creator/webhooks", form | {"idempotency_key": key.group(1)})
    assert created.status_code == 201 and 'value="whsec_abc"' in created.text
    assert created.headers["cache-control"] == "no-store"
    sent = fake_api.requests("POST", "/v1/webhook-endpoints")[0]
    assert json_of(sent) == {
        "url": "https://hooks.example/t",
        "description": "",
        "event_types": ["clicks.click.registered"],
        "enabled": True,
        "all_accounts": False,
    }
    assert sent.headers["idempotency-key"] == key.group(1)
    fake_api.on("GET", "/v1/webhook-endpoints", {"data": [made], "has_more": False})
    listed = await browser.get("/creator/webhooks")
    assert "https://hooks.example/t" in listed.text and "whsec_abc" not in listed.text
    fake_api.on("DELETE", "/v1/webhook-endpoints/ep_1", httpx.Response(204))
    deleted = await browser.submit("/creator/webhooks/ep_1/delete", {})
    assert deleted.status_code == 303 and len(fake_api.requests("DELETE", "/v1/webhook-endpoints/ep_1")) == 1


async def test_a_refused_endpoint_keeps_what_was_typed(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api)
    fake_api.on("GET", "/v1/webhook-endpoints", {"data": [], "has_more": False})
    fake_api.on("GET", "/v1/event-types", {"data": [event_type("clicks.click.registered")]})
    await browser.get("/creator/webhooks")
    fake_api.on(
        "POST",
        "/v1/webhook-endpoints",
        problem(
            422, "url_refused", "Private addresses are refused", [{"field": "body.url", "message": "A private address"}]
        ),
    )
    form = {"url": "http://10.0.0.1/h", "description": "Mine", "event_types": "clicks.click.registered"}
    response = await browser.submit("/creator/webhooks", form)
    assert response.status_code == 422 and 'id="url-error">A private address' in response.text
    assert 'value="http://10.0.0.1/h"' in response.text and 'value="Mine"' in response.text
    assert 'value="clicks.click.registered" checked' in response.text
