"""Deleting an account also ends the apps it registered: they get no new tokens, and every grant people made
to them ends (an app whose developer is gone has nobody answerable for it)."""

from __future__ import annotations

import httpx

from ..support.oauth import authorization_query, authorized, new_pkce, refresh, register_app


async def test_deleting_a_developers_account_ends_its_apps_and_their_grants(
    app, client: httpx.AsyncClient, register, login
) -> None:  # type: ignore[no-untyped-def]
    person = await register()
    person_id = person["account"]["id"]
    developer = await register()
    client_id = (await register_app(client, await login(developer)))["client_id"]
    token = await authorized(client, app, person_id, client_id)

    deleted = await client.delete(f"/v1/accounts/{developer['account']['id']}", headers=await login(developer))
    assert deleted.status_code in (200, 204), deleted.text

    dead = await refresh(client, client_id, token["refresh_token"])
    assert dead.json()["code"] in ("invalid_client", "invalid_grant") and dead.status_code in (400, 401), dead.text
    asked = await client.get("/v1/oauth/authorization-requests", params=authorization_query(client_id, new_pkce()))
    assert (asked.status_code, asked.json()["code"]) == (400, "invalid_client")
    apps = await client.get(f"/v1/accounts/{person_id}/authorized-apps", headers=await login(person))
    assert apps.status_code == 200 and apps.json()["data"] == [], apps.text
