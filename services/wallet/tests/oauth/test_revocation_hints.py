"""RFC 7009: a token type hint is only a hint. A refresh token sent with ``token_type_hint=access_token`` (the
search extends to every type) or an unknown hint (ignored) is still revoked; presenting an access token, which
is self-contained and cannot be revoked, is ``unsupported_token_type`` with 400 (RFC 6749 section 5.2), not a
401 that asks for client credentials."""

from __future__ import annotations

import httpx

from ..support.oauth import authorized, refresh, register_app


async def test_a_refresh_token_is_revoked_whatever_the_hint_and_an_access_token_is_a_400(
    app, client: httpx.AsyncClient, register, login
) -> None:  # type: ignore[no-untyped-def]
    developer = await login(await register())
    client_id = (await register_app(client, developer))["client_id"]
    for hint in ("access_token", "something_else"):
        account_id = (await register())["account"]["id"]
        token = await authorized(client, app, account_id, client_id)
        revoked = await client.post(
            "/v1/oauth/revoke",
            data={"token": token["refresh_token"], "token_type_hint": hint, "client_id": client_id},
        )
        assert revoked.status_code == 200, (hint, revoked.text)
        after = await refresh(client, client_id, token["refresh_token"])
        assert (after.status_code, after.json()["code"]) == (400, "invalid_grant"), hint

    account_id = (await register())["account"]["id"]
    token = await authorized(client, app, account_id, client_id)
    hinted = await client.post(
        "/v1/oauth/revoke",
        data={"token": token["access_token"], "token_type_hint": "access_token", "client_id": client_id},
    )
    assert (hinted.status_code, hinted.json()["code"]) == (400, "unsupported_token_type"), hinted.text
    assert "www-authenticate" not in hinted.headers
