"""The OAuth2 client-credentials endpoint, API keys, the JWKS and signing-key rotation."""

from __future__ import annotations

import base64
import time

import httpx
import jwt
import pytest
from sqlalchemy import select

from trickle_kit.auth import TokenVerifier, mint_token
from trickle_wallet.credentials.models import ApiKey, SigningKey
from trickle_wallet.credentials.service import hash_secret


async def test_an_api_key_gets_a_short_lived_eddsa_token_with_its_scopes(
    client: httpx.AsyncClient, register, issue_token, settings
) -> None:  # type: ignore[no-untyped-def]
    reg = await register()
    r = await issue_token(reg["api_key"]["id"], reg["api_key"]["secret"])
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "no-store"
    body = r.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == settings.access_token_ttl_s
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert jwt.get_unverified_header(body["access_token"])["alg"] == "EdDSA"
    assert claims["sub"] == claims["account_id"] == reg["account"]["id"]
    assert claims["exp"] - claims["iat"] == settings.access_token_ttl_s
    assert set(claims["scope"].split()) == set(reg["api_key"]["scopes"]) and "operator" not in claims["scope"]


async def test_http_basic_and_a_narrower_scope_work(client: httpx.AsyncClient, register) -> None:  # type: ignore[no-untyped-def]
    reg = await register()
    basic = base64.b64encode(f"{reg['api_key']['id']}:{reg['api_key']['secret']}".encode()).decode()
    r = await client.post(
        "/v1/oauth/token",
        data={"grant_type": "client_credentials", "scope": "wallet:read"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["scope"] == "wallet:read"


async def test_the_operator_credential_gets_an_operator_token(issue_token, settings) -> None:  # type: ignore[no-untyped-def]
    r = await issue_token(settings.operator_client_id, settings.operator_client_secret)
    assert r.status_code == 200
    claims = jwt.decode(r.json()["access_token"], options={"verify_signature": False})
    assert claims["scope"] == "operator" and "account_id" not in claims


@pytest.mark.parametrize(
    "credentials",
    [
        lambda reg: (reg["api_key"]["id"], reg["api_key"]["secret"] + "x"),
        lambda reg: (reg["api_key"]["id"], "tks_wrong"),
        lambda reg: ("key_00000000000000000000000000000000", reg["api_key"]["secret"]),
        lambda reg: ("operator", "not-the-operator-secret"),
        lambda reg: ("x" * 500, "y"),
    ],
)
async def test_a_wrong_secret_or_unknown_client_is_invalid_client(register, issue_token, credentials) -> None:  # type: ignore[no-untyped-def]
    reg = await register()
    r = await issue_token(*credentials(reg))
    assert r.status_code == 401
    assert r.json()["code"] == "invalid_client"
    assert r.headers["content-type"] == "application/problem+json"


async def test_bad_token_requests_are_400(client: httpx.AsyncClient, register, issue_token) -> None:  # type: ignore[no-untyped-def]
    reg = await register()
    key, secret = reg["api_key"]["id"], reg["api_key"]["secret"]
    r = await client.post("/v1/oauth/token", data={"grant_type": "password", "client_id": key, "client_secret": secret})
    assert (r.status_code, r.json()["code"]) == (400, "unsupported_grant_type")
    r = await client.post("/v1/oauth/token", data={"client_id": key, "client_secret": secret})
    assert (r.status_code, r.json()["code"]) == (400, "invalid_request")
    r = await issue_token(key, secret, "operator")
    assert (r.status_code, r.json()["code"]) == (400, "invalid_scope")
    r = await issue_token(key, secret, "root:all")
    assert (r.status_code, r.json()["code"]) == (400, "invalid_scope")
    r = await client.post("/v1/oauth/token", data={"grant_type": "client_credentials"})
    assert (r.status_code, r.json()["code"]) == (401, "invalid_client")


async def test_a_revoked_key_gets_no_more_tokens(client: httpx.AsyncClient, register, login, issue_token) -> None:  # type: ignore[no-untyped-def]
    reg = await register()
    acct, key = reg["account"]["id"], reg["api_key"]
    headers = await login(reg)
    second = await client.post(f"/v1/accounts/{acct}/api-keys", json={"name": "ci"}, headers=headers)
    assert second.status_code == 201, second.text
    revoked = await client.delete(f"/v1/accounts/{acct}/api-keys/{key['id']}", headers=headers)
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    r = await issue_token(key["id"], key["secret"])
    assert (r.status_code, r.json()["code"]) == (401, "invalid_client")
    ok = await issue_token(second.json()["id"], second.json()["secret"])
    assert ok.status_code == 200


async def test_keys_are_listed_without_secrets_and_stored_only_as_hashes(
    client: httpx.AsyncClient, app, register, login
) -> None:  # type: ignore[no-untyped-def]
    reg = await register()
    acct = reg["account"]["id"]
    headers = await login(reg)
    created = [
        (await client.post(f"/v1/accounts/{acct}/api-keys", json={"name": f"k{i}"}, headers=headers)).json()
        for i in range(3)
    ]
    page1 = await client.get(f"/v1/accounts/{acct}/api-keys", params={"limit": 2}, headers=headers)
    assert page1.status_code == 200
    assert page1.json()["has_more"] is True
    page2 = await client.get(
        f"/v1/accounts/{acct}/api-keys",
        params={"limit": 2, "starting_after": page1.json()["next_starting_after"]},
        headers=headers,
    )
    listed = page1.json()["data"] + page2.json()["data"]
    assert [k["id"] for k in listed] == [reg["api_key"]["id"]] + [c["id"] for c in created]
    assert page2.json()["has_more"] is False
    assert all("secret" not in k for k in listed)
    async with app.state.sessions() as session:
        rows = (await session.execute(select(ApiKey).where(ApiKey.account_id == acct))).scalars().all()
    for row, shown in zip(sorted(rows, key=lambda k: k.id), [reg["api_key"], *created], strict=True):
        assert row.secret_hash == hash_secret(shown["secret"])
        assert shown["secret"] not in row.secret_hash


async def test_a_key_cannot_grant_scopes_its_token_lacks(client: httpx.AsyncClient, register, login) -> None:  # type: ignore[no-untyped-def]
    reg = await register()
    acct = reg["account"]["id"]
    narrow = await login(reg, "accounts:write accounts:read")
    r = await client.post(f"/v1/accounts/{acct}/api-keys", json={"scopes": ["wallet:write"]}, headers=narrow)
    assert (r.status_code, r.json()["code"]) == (403, "scope_escalation")
    default = await client.post(f"/v1/accounts/{acct}/api-keys", json={}, headers=narrow)
    assert sorted(default.json()["scopes"]) == ["accounts:read", "accounts:write"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"scopes": ["operator"]}, "body.scopes.0"),
        ({"scopes": []}, "body.scopes"),
        ({"name": ""}, "body.name"),
        ({"name": "k", "secret": "mine"}, "body.secret"),
    ],
)
async def test_a_bad_key_request_is_refused_and_stores_nothing(
    client: httpx.AsyncClient, app, register, login, body, field
) -> None:  # type: ignore[no-untyped-def]
    reg = await register()
    acct = reg["account"]["id"]
    r = await client.post(f"/v1/accounts/{acct}/api-keys", json=body, headers=await login(reg))
    assert r.status_code == 422
    assert field in [e["field"] for e in r.json()["errors"]]
    async with app.state.sessions() as session:
        assert len((await session.execute(select(ApiKey).where(ApiKey.account_id == acct))).scalars().all()) == 1


async def test_a_replayed_key_creation_makes_one_key_and_does_not_repeat_the_secret(
    client: httpx.AsyncClient, register, login
) -> None:  # type: ignore[no-untyped-def]
    reg = await register()
    acct = reg["account"]["id"]
    headers = {**(await login(reg)), "Idempotency-Key": "key-1"}
    first = await client.post(f"/v1/accounts/{acct}/api-keys", json={"name": "ci"}, headers=headers)
    again = await client.post(f"/v1/accounts/{acct}/api-keys", json={"name": "ci"}, headers=headers)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["secret"] and again.json()["secret"] is None
    listed = await client.get(f"/v1/accounts/{acct}/api-keys", headers=headers)
    assert len(listed.json()["data"]) == 2


# ---- JWKS and rotation ----


async def test_the_jwks_serves_the_active_key_and_verifies_issued_tokens(
    client: httpx.AsyncClient, register, issue_token, settings
) -> None:  # type: ignore[no-untyped-def]
    reg = await register()
    token = (await issue_token(reg["api_key"]["id"], reg["api_key"]["secret"])).json()["access_token"]
    jwks = (await client.get("/v1/.well-known/jwks.json")).json()
    assert jwks["keys"][0]["kty"] == "OKP" and jwks["keys"][0]["crv"] == "Ed25519"
    assert all("d" not in k for k in jwks["keys"])  # never the private half
    verifier = TokenVerifier(issuer=settings.token_issuer, audience=settings.token_audience, static_jwks=jwks)
    principal = await verifier.verify(token)
    assert principal.account_id == reg["account"]["id"]


async def test_after_rotation_old_tokens_still_verify_and_new_kids_trigger_a_refresh(
    client: httpx.AsyncClient, register, issue_token, login, settings
) -> None:  # type: ignore[no-untyped-def]
    reg = await register()
    old_token = (await issue_token(reg["api_key"]["id"], reg["api_key"]["secret"])).json()["access_token"]
    old_kid = jwt.get_unverified_header(old_token)["kid"]

    async def served_jwks() -> dict:  # type: ignore[type-arg]
        return (await client.get("/v1/.well-known/jwks.json")).json()

    # Another service's verifier: fetches the wallet's JWKS, refreshing on an unknown kid.
    verifier = TokenVerifier(
        issuer=settings.token_issuer, audience=settings.token_audience, fetch_jwks=served_jwks, min_refresh_interval_s=0
    )
    assert (await verifier.verify(old_token)).account_id == reg["account"]["id"]
    refreshes = verifier.refreshes

    rotated = await client.post("/v1/signing-keys/rotate", headers=await login())
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["retired"]["kid"] == old_kid
    new_kid = rotated.json()["active"]["kid"]
    assert new_kid != old_kid

    kids = [k["kid"] for k in (await served_jwks())["keys"]]
    assert kids[0] == new_kid and old_kid in kids
    new_token = (await issue_token(reg["api_key"]["id"], reg["api_key"]["secret"])).json()["access_token"]
    assert jwt.get_unverified_header(new_token)["kid"] == new_kid
    assert (await verifier.verify(new_token)).account_id == reg["account"]["id"]
    assert verifier.refreshes == refreshes + 1  # the unknown kid made it fetch the JWKS again
    assert (await verifier.verify(old_token)).account_id == reg["account"]["id"]
    # And the wallet itself accepts both.
    for token in (old_token, new_token):
        r = await client.get(f"/v1/accounts/{reg['account']['id']}", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200


async def test_a_key_retired_longer_ago_than_a_token_lives_leaves_the_jwks(
    client: httpx.AsyncClient, app, login, settings
) -> None:  # type: ignore[no-untyped-def]
    operator = await login()
    first = (await client.post("/v1/signing-keys/rotate", headers=operator)).json()
    await client.post("/v1/signing-keys/rotate", headers=operator)
    # Pretend the first rotation's key was retired long ago.
    async with app.state.sessions() as session, session.begin():
        key = (await session.execute(select(SigningKey).where(SigningKey.kid == first["active"]["kid"]))).scalar_one()
        assert key.retired_at is not None
        key.retired_at = key.retired_at.replace(year=key.retired_at.year - 1)
        pem = key.private_pem
    kids = [k["kid"] for k in (await client.get("/v1/.well-known/jwks.json")).json()["keys"]]
    assert first["active"]["kid"] not in kids
    stale = mint_token(
        pem,
        first["active"]["kid"],
        subject="operator",
        scopes=["operator"],
        issuer=settings.token_issuer,
        audience=settings.token_audience,
        now=time.time(),
    )
    r = await client.post("/v1/signing-keys/rotate", headers={"Authorization": f"Bearer {stale}"})
    assert (r.status_code, r.json()["code"]) == (401, "invalid_token")
