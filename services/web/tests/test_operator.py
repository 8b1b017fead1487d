"""/operator: only an operator session (the operator credential exchanged at the token endpoint)
opens it; a person gets 403 and a visitor the operator sign-in. Seal and close ask first; the
accounts page suspends with the problem next to the reason."""

from __future__ import annotations

from typing import Any

import httpx

from .support.api import form_of, json_of, problem, session_tokens

ACCOUNT = "acct_0190a1b2c3d4"
OPERATOR_TOKEN = {"access_token": "op-token", "token_type": "Bearer", "expires_in": 900, "scope": "operator"}


def period(pid: str, state: str) -> dict[str, Any]:
    return {
        "id": pid,
        "state": state,
        "opened_at": "2026-11-01T00:00:00Z",
        "sealed_at": "2026-12-01T00:00:05Z" if state == "sealed" else None,
        "ends_at": "2026-12-01T00:00:00Z",
    }


def periods(fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.on("GET", "/v1/periods/current", period("2026-12", "open"))
    fake_api.on(
        "GET", "/v1/periods", {"data": [period("2026-11", "sealed"), period("2026-12", "open")], "has_more": False}
    )
    fake_api.on(
        "GET",
        "/v1/periods/2026-11",
        {
            "period": "2026-11",
            "status": "closing",
            "seal_markers": [],
            "progress": {"patrons_done": 1200, "patrons_total": 20000},
        },
    )


async def sign_in_operator(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.on("POST", "/v1/oauth/token", OPERATOR_TOKEN)
    await browser.get("/operator/sign-in")
    response = await browser.submit(
        "/operator/sign-in", {"client_id": "trickle-operator", "client_secret": "s3cret", "next": "/operator"}
    )
    assert response.status_code == 303 and response.headers["location"] == "/operator"


async def test_a_visitor_is_sent_to_the_operator_sign_in(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    for path in ("/operator", "/operator/events", "/operator/accounts"):
        response = await browser.get(path)
        assert response.status_code == 303
        assert response.headers["location"] == "/operator/sign-in?next=" + path.replace("/", "%2F")
    assert fake_api.seen == []


async def test_a_signed_in_person_is_refused(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.on("POST", "/v1/sessions", session_tokens(ACCOUNT), status=201)
    await browser.get("/sign-in")
    await browser.submit("/sign-in", {"email": "a@example.org", "password": "x" * 12})
    for path in ("/operator", "/operator/events", "/operator/accounts", "/operator/periods/seal"):
        response = await browser.get(path)
        assert response.status_code == 403, path
    token = browser.csrf_token()
    response = await browser.client.post("/operator/periods/seal", data={"csrf_token": token})
    assert response.status_code == 403
    assert [r.url.path for r in fake_api.seen] == ["/v1/sessions"]


async def test_the_operator_signs_in_with_the_operator_credential(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in_operator(browser, fake_api)
    exchanged = form_of(fake_api.requests("POST", "/v1/oauth/token")[0])
    assert exchanged == {"grant_type": "client_credentials", "client_id": "trickle-operator", "client_secret": "s3cret"}
    periods(fake_api)
    page = await browser.get("/operator")
    assert page.status_code == 200
    assert "2026-12" in page.text and "1200 of 20000 patrons" in page.text
    assert "data-live-poll" in page.text  # a close is running: the page updates itself (static/live.js)
    assert "s3cret" not in page.text
    assert fake_api.requests("GET", "/v1/periods/current")[0].headers["authorization"] == "Bearer op-token"


async def test_an_accounts_api_key_does_not_open_the_operator_pages(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.on("POST", "/v1/oauth/token", OPERATOR_TOKEN | {"scope": "accounts:read wallet:read"})
    await browser.get("/operator/sign-in")
    response = await browser.submit(
        "/operator/sign-in", {"client_id": "key_1", "client_secret": "k", "next": "/operator"}
    )
    assert response.status_code == 401 and "not the operator" in response.text
    assert 'value="key_1"' in response.text
    assert (await browser.get("/operator")).status_code == 303


async def test_a_wrong_secret_is_shown_on_the_form(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.on("POST", "/v1/oauth/token", problem(401, "invalid_client", "Unknown client or wrong secret"))
    await browser.get("/operator/sign-in")
    response = await browser.submit("/operator/sign-in", {"client_id": "trickle-operator", "client_secret": "nope"})
    assert response.status_code == 401 and "Unknown client or wrong secret" in response.text
    assert "nope" not in response.text


async def test_sealing_asks_first_then_seals(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in_operator(browser, fake_api)
    periods(fake_api)
    confirm = await browser.get("/operator/periods/seal")
    assert confirm.status_code == 200 and "Seal 2026-12?" in confirm.text
    assert fake_api.requests("POST", "/v1/periods/current/seal") == []
    fake_api.on("POST", "/v1/periods/current/seal", problem(409, "period_not_ended", "2026-12 has not ended yet"))
    refused = await browser.submit("/operator/periods/seal", {})
    assert refused.status_code == 409 and "2026-12 has not ended yet" in refused.text
    fake_api.on(
        "POST",
        "/v1/periods/current/seal",
        {"sealed": period("2026-12", "sealed"), "opened": "2027-01", "partitions": []},
    )
    sealed = await browser.submit("/operator/periods/seal", {})
    assert sealed.status_code == 303 and sealed.headers["location"] == "/operator?sealed=2026-12"
    assert fake_api.requests("POST", "/v1/periods/current/seal")[-1].headers["authorization"] == "Bearer op-token"


async def test_closing_a_period_asks_first_then_starts_it(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in_operator(browser, fake_api)
    periods(fake_api)
    confirm = await browser.get("/operator/periods/2026-11/close")
    assert "Close 2026-11 now?" in confirm.text
    fake_api.on(
        "POST", "/v1/periods/2026-11/close", {"period": "2026-11", "status": "closing", "seal_markers": []}, status=202
    )
    started = await browser.submit("/operator/periods/2026-11/close", {})
    assert started.status_code == 303 and started.headers["location"] == "/operator?closing=2026-11"
    assert (await browser.get("/operator/periods/2026-13/close")).status_code == 404


async def test_dead_letters_of_every_service_and_a_replay(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in_operator(browser, fake_api)
    for service in ("wallet", "click-ledger", "settlement", "webhook"):
        fake_api.on("GET", f"/v1/operations/{service}/outbox", {"service": service, "pending": 3, "oldest_age_s": 1.5})
        fake_api.on("GET", f"/v1/operations/{service}/dead-letters", {"data": [], "has_more": False})
    dead = {
        "event_id": "evt_0190ab",
        "service": "settlement",
        "consumer": "settlement.clicks",
        "dead_at": "2026-12-03T06:00:00Z",
        "error": "boom",
    }
    fake_api.on("GET", "/v1/operations/settlement/dead-letters", {"data": [dead], "has_more": False})
    page = await browser.get("/operator/events")
    assert page.status_code == 200 and "evt_0190ab" in page.text and "boom" in page.text
    assert page.text.count("3 unpublished event(s)") == 4
    replay = {"event_id": "evt_0190ab", "service": "settlement", "consumers": ["c"], "topic": "t", "status": "replayed"}
    fake_api.on("POST", "/v1/operations/settlement/dead-letters/evt_0190ab/replay", httpx.Response(202, json=replay))
    replayed = await browser.submit("/operator/events/settlement/evt_0190ab/replay", {})
    assert replayed.status_code == 303
    assert len(fake_api.requests("POST", "/v1/operations/settlement/dead-letters/evt_0190ab/replay")) == 1


async def test_accounts_are_found_and_a_suspensions_problem_lands_by_the_reason(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in_operator(browser, fake_api)
    account = {
        "id": ACCOUNT, "display_name": "Ada", "email": "ada@example.org", "kind": "person", "currency": "EUR",
        "non_profit": False, "giving_public": False, "commission_bps": 500, "suspended": False,
        "created_at": "2026-12-01T00:00:00Z", "updated_at": "2026-12-01T00:00:00Z",
    }  # fmt: skip
    fake_api.on("GET", "/v1/accounts", {"data": [account], "has_more": False})
    page = await browser.get("/operator/accounts?q=ada")
    assert "ada@example.org" in page.text
    assert dict(fake_api.requests("GET", "/v1/accounts")[0].url.params) == {"limit": "50", "q": "ada"}
    fake_api.on(
        "PUT",
        f"/v1/accounts/{ACCOUNT}/suspension",
        problem(422, "validation_error", "Invalid input", [{"field": "body.reason", "message": "Too long"}]),
    )
    refused = await browser.submit(f"/operator/accounts/{ACCOUNT}/suspend", {"reason": "r" * 20, "q": "ada"})
    assert refused.status_code == 422
    assert 'id="reason-1-error">Too long' in refused.text and 'value="' + "r" * 20 + '"' in refused.text
    fake_api.on("PUT", f"/v1/accounts/{ACCOUNT}/suspension", account | {"suspended": True})
    done = await browser.submit(f"/operator/accounts/{ACCOUNT}/suspend", {"reason": "Chargebacks", "q": "ada"})
    assert done.status_code == 303
    assert json_of(fake_api.requests("PUT", f"/v1/accounts/{ACCOUNT}/suspension")[-1]) == {"reason": "Chargebacks"}
    fake_api.on("DELETE", f"/v1/accounts/{ACCOUNT}/suspension", account)
    fake_api.on("GET", "/v1/accounts", {"data": [account | {"suspended": True}], "has_more": False})
    assert "Lift the suspension of Ada" in (await browser.get(done.headers["location"])).text
    lifted = await browser.submit(f"/operator/accounts/{ACCOUNT}/unsuspend", {"q": "ada"})
    assert lifted.status_code == 303


async def test_an_expired_operator_token_asks_for_the_sign_in_again(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in_operator(browser, fake_api)
    fake_api.on("GET", "/v1/periods/current", problem(401, "token_expired", "The token expired"))
    response = await browser.get("/operator")
    assert response.status_code == 303 and response.headers["location"].startswith("/operator/sign-in")
    assert (await browser.get("/operator")).status_code == 303  # the session ended
