"""The token and revocation endpoints' refusals are problem+json like every other answer, and also carry
RFC 6749 section 5.2's ``error`` (and ``error_description``), which OAuth client libraries read: without it they
take a refusal for a token."""

from __future__ import annotations

import httpx

from ..support.oauth import authorized, refresh, register_app


async def test_token_and_revocation_refusals_name_the_oauth_error(
    app, client: httpx.AsyncClient, register, login
) -> None:  # type: ignore[no-untyped-def]
    developer = await login(await register())
    client_id = (await register_app(client, developer))["client_id"]
    account_id = (await register())["account"]["id"]
    token = await authorized(client, app, account_id, client_id)

    unknown = await refresh(client, client_id, "tkr_never-issued")
    assert unknown.status_code == 400 and unknown.headers["content-type"] == "application/problem+json"
    assert unknown.json()["code"] == unknown.json()["error"] == "invalid_grant"

    nobody = await refresh(client, "app_nobody", token["refresh_token"])
    assert nobody.status_code in (400, 401) and nobody.json()["error"] == "invalid_client"

    api_key = await client.post(
        "/v1/oauth/token", data={"grant_type": "client_credentials", "client_id": "key_x", "client_secret": "nope"}
    )
    assert api_key.status_code == 401 and api_key.json()["error"] == "invalid_client", api_key.text
    assert api_key.json()["error_description"]

    grant_type = await client.post("/v1/oauth/token", data={"grant_type": "password"})
    assert grant_type.json()["error"] == "unsupported_grant_type"

    hinted = await client.post(
        "/v1/oauth/revoke",
        data={"token": token["access_token"], "token_type_hint": "access_token", "client_id": client_id},
    )
    assert hinted.status_code == 400 and hinted.json()["error"] == "unsupported_token_type"
