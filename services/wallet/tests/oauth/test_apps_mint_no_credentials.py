"""An app acting for a person mints no credentials of its own: no API key (which would outlive the person
revoking the app, unseen in their authorized apps) and no client app. The person's own session and API keys can."""

from __future__ import annotations

import httpx

from ..support.oauth import REDIRECT_URI, authorized, bearer, register_app, signed_in


async def test_an_apps_token_creates_no_api_key_and_registers_no_app(
    app, client: httpx.AsyncClient, register, login
) -> None:  # type: ignore[no-untyped-def]
    person = await register()
    account_id = person["account"]["id"]
    client_id = (await register_app(client, await login(await register())))["client_id"]
    app_token = (
        await authorized(client, app, account_id, client_id, scope="accounts:read accounts:write wallet:write")
    )["access_token"]

    key = await client.post(f"/v1/accounts/{account_id}/api-keys", json={"name": "mine now"}, headers=bearer(app_token))
    assert (key.status_code, key.json()["code"]) == (403, "first_party_session_required"), key.text
    new_app = await client.post(
        "/v1/oauth/clients",
        json={"name": "Another", "client_type": "public", "redirect_uris": [REDIRECT_URI]},
        headers=bearer(app_token),
    )
    assert (new_app.status_code, new_app.json()["code"]) == (403, "first_party_session_required"), new_app.text

    session = await signed_in(app, account_id)
    own = await client.post(
        f"/v1/accounts/{account_id}/api-keys", json={"name": "mine"}, headers=bearer(session["access_token"])
    )
    assert own.status_code == 201, own.text
    by_key = await client.post(f"/v1/accounts/{account_id}/api-keys", json={"name": "cli"}, headers=await login(person))
    assert by_key.status_code == 201, by_key.text
