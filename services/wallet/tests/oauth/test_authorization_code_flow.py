"""An app's whole journey, as the app and the person's browser would make it: register, ask, consent,
exchange the code with the PKCE verifier, call the API with only the granted scopes, refresh
(rotation), reuse an old refresh token (the family ends), revoke."""

from __future__ import annotations

import httpx
import jwt

from ..support.oauth import (
    REDIRECT_URI,
    approve,
    authorization_query,
    bearer,
    exchange,
    new_pkce,
    redirect_params,
    refresh,
    register_app,
    signed_in,
)


async def test_a_public_app_gets_narrowed_tokens_refreshes_them_and_loses_them_on_reuse_and_revocation(
    app, client: httpx.AsyncClient, register, login, settings
) -> None:  # type: ignore[no-untyped-def]
    person = await register()
    account_id = person["account"]["id"]
    developer = await login(await register())
    registered = await register_app(client, developer, scopes=["accounts:read", "wallet:read", "clicks:read"])
    client_id = registered["client_id"]
    assert registered["client_secret"] is None and registered["client_type"] == "public"

    # The app sends the browser to the consent page, which checks the request first.
    pkce = new_pkce()
    query = authorization_query(client_id, pkce, scope="wallet:read accounts:read", state="s-123")
    asked = await client.get("/v1/oauth/authorization-requests", params=query)
    assert asked.status_code == 200, asked.text
    info = asked.json()
    assert (info["client_id"], info["client_name"], info["redirect_uri"], info["state"]) == (
        client_id,
        "Podcast player",
        REDIRECT_URI,
        "s-123",
    )
    assert info["scopes"] == [
        {"scope": "wallet:read", "description": "Read deposits, budget, transfers, payouts and balances"},
        {"scope": "accounts:read", "description": "Read your account and API keys"},
    ]

    # The person, signed in to Trickle, approves: the browser goes back to the app with a code and the state.
    session = await signed_in(app, account_id)
    decided = await approve(client, session["access_token"], query)
    assert decided.status_code == 200, decided.text
    back = decided.json()["redirect_to"]
    assert back.startswith(REDIRECT_URI + "?")
    params = redirect_params(back)
    assert params["state"] == "s-123" and params["code"]

    # The app exchanges the code with its verifier.
    token = await exchange(client, client_id, params["code"], pkce.verifier)
    assert token.status_code == 200, token.text
    assert token.headers["cache-control"] == "no-store"
    body = token.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == settings.access_token_ttl_s
    assert body["scope"] == "wallet:read accounts:read" and body["refresh_token"].startswith("tkr_")
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert (claims["sub"], claims["account_id"], claims["client_id"]) == (account_id, account_id, client_id)

    # The access token reads what was granted, nothing more.
    mine = await client.get(f"/v1/accounts/{account_id}", headers=bearer(body["access_token"]))
    assert mine.status_code == 200, mine.text
    budget = await client.put(
        f"/v1/accounts/{account_id}/budget",
        json={"amount": {"amount": 500, "currency": "EUR"}},
        headers=bearer(body["access_token"]),
    )
    assert (budget.status_code, budget.json()["code"]) == (403, "insufficient_scope")

    # Refreshing rotates: a new refresh token each time, and a token that still works.
    first_refresh = body["refresh_token"]
    rotated = await refresh(client, client_id, first_refresh)
    assert rotated.status_code == 200, rotated.text
    second_refresh = rotated.json()["refresh_token"]
    assert second_refresh != first_refresh and rotated.json()["scope"] == "wallet:read accounts:read"
    again = await client.get(f"/v1/accounts/{account_id}", headers=bearer(rotated.json()["access_token"]))
    assert again.status_code == 200

    # A narrower access token on refresh is fine; the rotated refresh token keeps the whole grant.
    narrower = await refresh(client, client_id, second_refresh, scope="accounts:read")
    assert narrower.status_code == 200, narrower.text
    assert narrower.json()["scope"] == "accounts:read"
    third_refresh = narrower.json()["refresh_token"]
    wider = await refresh(client, client_id, third_refresh)
    assert wider.status_code == 200 and wider.json()["scope"] == "wallet:read accounts:read"
    fourth_refresh = wider.json()["refresh_token"]

    # Someone uses an old refresh token again: refused, and the whole family ends with it.
    reused = await refresh(client, client_id, first_refresh)
    assert (reused.status_code, reused.json()["code"]) == (400, "invalid_grant")
    latest = await refresh(client, client_id, fourth_refresh)
    assert (latest.status_code, latest.json()["code"]) == (400, "invalid_grant")


async def test_revoking_a_refresh_token_ends_its_grant_and_unknown_tokens_are_no_error(
    app, client: httpx.AsyncClient, register, login
) -> None:  # type: ignore[no-untyped-def]
    account_id = (await register())["account"]["id"]
    client_id = (await register_app(client, await login(await register())))["client_id"]
    pkce = new_pkce()
    session = await signed_in(app, account_id)
    code = redirect_params(
        (await approve(client, session["access_token"], authorization_query(client_id, pkce))).json()["redirect_to"]
    )["code"]
    body = (await exchange(client, client_id, code, pkce.verifier)).json()
    kept = (await refresh(client, client_id, body["refresh_token"])).json()["refresh_token"]

    revoked = await client.post("/v1/oauth/revoke", data={"token": kept, "client_id": client_id})
    assert revoked.status_code == 200, revoked.text
    after = await refresh(client, client_id, kept)
    assert (after.status_code, after.json()["code"]) == (400, "invalid_grant")

    for unknown in ("tkr_never-issued", body["access_token"]):
        r = await client.post("/v1/oauth/revoke", data={"token": unknown, "client_id": client_id})
        assert r.status_code == 200, r.text
    hinted = await client.post(
        "/v1/oauth/revoke",
        data={"token": body["access_token"], "token_type_hint": "access_token", "client_id": client_id},
    )
    # Access tokens are self-contained and run out on their own: 400, as RFC 7009 says (Authlib's is 401).
    assert hinted.status_code == 400 and hinted.json()["code"] == "unsupported_token_type"


async def test_a_denied_request_goes_back_to_the_app_with_access_denied_and_the_state(
    app, client: httpx.AsyncClient, register, login
) -> None:  # type: ignore[no-untyped-def]
    account_id = (await register())["account"]["id"]
    client_id = (await register_app(client, await login(await register())))["client_id"]
    session = await signed_in(app, account_id)
    r = await approve(client, session["access_token"], authorization_query(client_id, new_pkce(), state="st"), "deny")
    assert r.status_code == 200, r.text
    assert r.json()["redirect_to"].startswith(REDIRECT_URI + "?")
    params = redirect_params(r.json()["redirect_to"])
    assert (params["error"], params["state"]) == ("access_denied", "st") and "code" not in params
