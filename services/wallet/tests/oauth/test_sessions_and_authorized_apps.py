"""Signing in is a grant of the first-party client trickle-web (refreshed and ended like any grant);
an account lists and revokes the apps it authorized; a suspension or deletion ends every grant."""

from __future__ import annotations

from typing import Any

import httpx
import jwt
from fastapi import FastAPI
from sqlalchemy import update

from trickle_kit.auth import ACCOUNT_SCOPES
from trickle_kit.envelope import utcnow
from trickle_wallet.sign_in.models import SignInCredential
from trickle_wallet.sign_in.service import register_person

from ..support.oauth import (
    approve,
    authorization_query,
    authorized,
    bearer,
    exchange,
    new_pkce,
    redirect_params,
    refresh,
    register_app,
    signed_in,
)

PASSWORD = "correct horse battery staple"


async def _person(app: FastAPI, email: str) -> str:
    """A person who signed up and verified the address (the identity flow's end state)."""
    async with app.state.sessions() as session, session.begin():
        account, _ = await register_person(
            session, app.state.settings, email=email, password=PASSWORD, display_name="Grace"
        )
        await session.execute(
            update(SignInCredential).where(SignInCredential.account_id == account.id).values(email_verified_at=utcnow())
        )
        return account.id


async def test_signing_in_gives_a_trickle_web_session_that_refreshes_with_rotation_and_signs_out(
    app, client: httpx.AsyncClient, settings
) -> None:  # type: ignore[no-untyped-def]
    account_id = await _person(app, "grace@example.org")
    r = await client.post("/v1/sessions", json={"email": "grace@example.org", "password": PASSWORD})
    assert r.status_code == 201, r.text
    assert r.headers["cache-control"] == "no-store"
    body = r.json()
    assert body["account_id"] == account_id and body["token_type"] == "Bearer"
    assert body["expires_in"] == settings.access_token_ttl_s and body["scope"].split() == list(ACCOUNT_SCOPES)
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert (claims["account_id"], claims["client_id"]) == (account_id, "trickle-web")
    assert (await client.get(f"/v1/accounts/{account_id}", headers=bearer(body["access_token"]))).status_code == 200

    rotated = await refresh(client, "trickle-web", body["refresh_token"])
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["refresh_token"] != body["refresh_token"]

    # Sign-out: RFC 7009 on the refresh token; the session cannot be refreshed any more.
    out = await client.post(
        "/v1/oauth/revoke", data={"token": rotated.json()["refresh_token"], "client_id": "trickle-web"}
    )
    assert out.status_code == 200, out.text
    dead = await refresh(client, "trickle-web", rotated.json()["refresh_token"])
    assert (dead.status_code, dead.json()["code"]) == (400, "invalid_grant")


async def test_a_wrong_password_gets_no_session(app, client: httpx.AsyncClient) -> None:  # type: ignore[no-untyped-def]
    await _person(app, "ada.lovelace@example.org")
    r = await client.post("/v1/sessions", json={"email": "ada.lovelace@example.org", "password": "wrong password!"})
    assert (r.status_code, r.json()["code"]) == (401, "invalid_credentials")


async def test_an_account_lists_and_revokes_the_apps_it_authorized(
    app, client: httpx.AsyncClient, register, login
) -> None:  # type: ignore[no-untyped-def]
    account_id = (await register())["account"]["id"]
    developer = await login(await register())
    podcasts = (await register_app(client, developer))["client_id"]
    blog = (await register_app(client, developer, scopes=["clicks:read", "clicks:write"]))["client_id"]
    first = await authorized(client, app, account_id, podcasts, scope="wallet:read")
    await authorized(client, app, account_id, podcasts, scope="accounts:read")
    await authorized(client, app, account_id, blog, scope="clicks:write")
    person = bearer((await signed_in(app, account_id))["access_token"])

    listed = await client.get(f"/v1/accounts/{account_id}/authorized-apps", headers=person)
    assert listed.status_code == 200, listed.text
    apps: dict[str, Any] = {a["client_id"]: a for a in listed.json()["data"]}
    assert set(apps) == {podcasts, blog}  # sign-ins (trickle-web) are no apps
    assert [s["scope"] for s in apps[podcasts]["scopes"]] == ["wallet:read", "accounts:read"]
    assert apps[blog]["scopes"] == [
        {"scope": "clicks:write", "description": "Register things, click, claim, subscribe"}
    ]

    # Another account sees none of it.
    stranger = await login(await register())
    assert (await client.get(f"/v1/accounts/{account_id}/authorized-apps", headers=stranger)).status_code in (403, 404)
    gone = await client.delete(f"/v1/accounts/{account_id}/authorized-apps/{podcasts}", headers=stranger)
    assert gone.status_code in (403, 404)

    revoked = await client.delete(f"/v1/accounts/{account_id}/authorized-apps/{podcasts}", headers=person)
    assert revoked.status_code == 204, revoked.text
    dead = await refresh(client, podcasts, first["refresh_token"])
    assert (dead.status_code, dead.json()["code"]) == (400, "invalid_grant")
    listed = await client.get(f"/v1/accounts/{account_id}/authorized-apps", headers=person)
    assert [a["client_id"] for a in listed.json()["data"]] == [blog]
    again = await client.delete(f"/v1/accounts/{account_id}/authorized-apps/{podcasts}", headers=person)
    assert again.status_code == 404


async def test_suspension_and_deletion_end_every_grant_of_the_account(
    app, client: httpx.AsyncClient, register, login
) -> None:  # type: ignore[no-untyped-def]
    operator = await login()
    developer = await login(await register())
    client_id = (await register_app(client, developer))["client_id"]
    for ending in ("suspension", "deletion"):
        holder = await register()
        account_id = holder["account"]["id"]
        session = await signed_in(app, account_id)
        token = await authorized(client, app, account_id, client_id)
        pkce = new_pkce()
        pending = await approve(client, session["access_token"], authorization_query(client_id, pkce))
        assert pending.status_code == 200, pending.text
        if ending == "suspension":
            r = await client.put(
                f"/v1/accounts/{account_id}/suspension", json={"reason": "chargebacks"}, headers=operator
            )
        else:
            r = await client.delete(f"/v1/accounts/{account_id}", headers=await login(holder))
        assert r.status_code in (200, 204), r.text
        for cid, refresh_token in (("trickle-web", session["refresh_token"]), (client_id, token["refresh_token"])):
            dead = await refresh(client, cid, refresh_token)
            assert (dead.status_code, dead.json()["code"]) == (400, "invalid_grant"), (ending, cid)
        # A code approved before, not yet exchanged, starts nothing now.
        late = await exchange(client, client_id, redirect_params(pending.json()["redirect_to"])["code"], pkce.verifier)
        assert (late.status_code, late.json()["code"]) == (400, "invalid_grant"), ending
