"""A replayed code or a reused (rotated) refresh token ends its grant only when the client it was issued to
presents it, authenticated: someone holding a leaked old token without the app's secret (or naming another
client) is refused and ends nothing, or anyone who found a spent code could sign people out of an app."""

from __future__ import annotations

import httpx

from ..support.oauth import (
    approve,
    authorization_query,
    exchange,
    new_pkce,
    redirect_params,
    refresh,
    register_app,
    signed_in,
)


async def test_a_reused_refresh_token_ends_the_grant_only_when_its_own_client_authenticates(
    app, client: httpx.AsyncClient, register, login
) -> None:  # type: ignore[no-untyped-def]
    account_id = (await register())["account"]["id"]
    developer = await login(await register())
    confidential = await register_app(client, developer, client_type="confidential")
    client_id, secret = confidential["client_id"], confidential["client_secret"]
    other_id = (await register_app(client, developer))["client_id"]
    pkce = new_pkce()
    session = await signed_in(app, account_id)
    approved = await approve(client, session["access_token"], authorization_query(client_id, pkce))
    code = redirect_params(approved.json()["redirect_to"])["code"]
    first = await exchange(client, client_id, code, pkce.verifier, secret=secret)
    assert first.status_code == 200, first.text
    rotated = await refresh(client, client_id, first.json()["refresh_token"], secret=secret)
    assert rotated.status_code == 200, rotated.text
    old = first.json()["refresh_token"]

    wrong_secret = await refresh(client, client_id, old, secret=secret + "x")
    assert (wrong_secret.status_code, wrong_secret.json()["code"]) == (401, "invalid_client")
    other_client = await refresh(client, other_id, old)
    assert (other_client.status_code, other_client.json()["code"]) == (400, "invalid_grant")
    web_client = await refresh(client, "trickle-web", old)
    assert (web_client.status_code, web_client.json()["code"]) == (400, "invalid_grant")
    alive = await refresh(client, client_id, rotated.json()["refresh_token"], secret=secret)
    assert alive.status_code == 200, alive.text

    reused = await refresh(client, client_id, old, secret=secret)
    assert (reused.status_code, reused.json()["code"]) == (400, "invalid_grant")
    ended = await refresh(client, client_id, alive.json()["refresh_token"], secret=secret)
    assert (ended.status_code, ended.json()["code"]) == (400, "invalid_grant")


async def test_a_replayed_code_ends_the_grant_only_when_its_own_client_presents_it(
    app, client: httpx.AsyncClient, register, login
) -> None:  # type: ignore[no-untyped-def]
    account_id = (await register())["account"]["id"]
    developer = await login(await register())
    client_id = (await register_app(client, developer))["client_id"]
    other_id = (await register_app(client, developer))["client_id"]
    pkce = new_pkce()
    session = await signed_in(app, account_id)
    approved = await approve(client, session["access_token"], authorization_query(client_id, pkce))
    code = redirect_params(approved.json()["redirect_to"])["code"]
    first = await exchange(client, client_id, code, pkce.verifier)
    assert first.status_code == 200, first.text

    by_other = await exchange(client, other_id, code, pkce.verifier)
    assert (by_other.status_code, by_other.json()["code"]) == (400, "invalid_grant")
    alive = await refresh(client, client_id, first.json()["refresh_token"])
    assert alive.status_code == 200, alive.text

    replay = await exchange(client, client_id, code, pkce.verifier)
    assert (replay.status_code, replay.json()["code"]) == (400, "invalid_grant")
    ended = await refresh(client, client_id, alive.json()["refresh_token"])
    assert (ended.status_code, ended.json()["code"]) == (400, "invalid_grant")
