"""Registering client apps (exact https redirect URIs, http only to loopback, a secret shown once),
listing and deleting them; the server's RFC 8414 metadata."""

from __future__ import annotations

import httpx
import pytest
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata

from trickle_wallet.oauth.flows import server_metadata

from ..support.oauth import REDIRECT_URI, authorization_query, authorized, new_pkce, refresh, register_app


@pytest.mark.parametrize(
    "uri",
    [
        "http://podcasts.example/callback",
        "https://*.example/callback",
        "https://podcasts.example/callback#fragment",
        "/callback",
        "podcasts://callback",
        "javascript:alert(1)",
    ],
)
async def test_a_redirect_uri_must_be_exact_https_or_loopback_http(
    client: httpx.AsyncClient, register, login, uri: str
) -> None:  # type: ignore[no-untyped-def]
    owner = await login(await register())
    r = await client.post(
        "/v1/oauth/clients",
        json={"name": "x", "client_type": "public", "redirect_uris": ["https://ok.example/cb", uri]},
        headers=owner,
    )
    assert (r.status_code, r.json()["code"]) == (422, "invalid_redirect_uri"), r.text
    assert r.json()["errors"][0]["field"] == "body.redirect_uris.1"


async def test_loopback_http_is_allowed_for_native_apps(client: httpx.AsyncClient, register, login) -> None:  # type: ignore[no-untyped-def]
    owner = await login(await register())
    uris = ["http://127.0.0.1:7777/cb", "http://[::1]:7777/cb", "http://localhost/cb"]
    registered = await register_app(client, owner, redirect_uris=uris)
    assert registered["redirect_uris"] == uris


async def test_a_confidential_secret_is_shown_once_and_apps_are_listed_and_deleted(
    app, client: httpx.AsyncClient, register, login
) -> None:  # type: ignore[no-untyped-def]
    owner = await login(await register())
    body = {"name": "Blog plugin", "client_type": "confidential", "redirect_uris": [REDIRECT_URI]}
    headers = {**owner, "Idempotency-Key": "register-blog-plugin"}
    first = await client.post("/v1/oauth/clients", json=body, headers=headers)
    assert first.status_code == 201, first.text
    replay = await client.post("/v1/oauth/clients", json=body, headers=headers)
    assert replay.json()["client_id"] == first.json()["client_id"] and replay.json()["client_secret"] is None
    created = first.json()
    assert created["client_secret"].startswith("tkc_") and created["scopes"]

    listed = await client.get("/v1/oauth/clients", headers=owner)
    assert [c["client_id"] for c in listed.json()["data"]] == [created["client_id"]]
    assert "client_secret" not in listed.json()["data"][0]
    other = await login(await register())
    assert (await client.get("/v1/oauth/clients", headers=other)).json()["data"] == []
    assert (await client.delete(f"/v1/oauth/clients/{created['client_id']}", headers=other)).status_code == 404

    person = (await register())["account"]["id"]
    token = await authorized(client, app, person, created["client_id"], secret=created["client_secret"])
    deleted = await client.delete(f"/v1/oauth/clients/{created['client_id']}", headers=owner)
    assert deleted.status_code == 200, deleted.text
    assert (await client.get("/v1/oauth/clients", headers=owner)).json()["data"] == []
    # A deleted app asks for nothing more and refreshes nothing.
    asked = await client.get(
        "/v1/oauth/authorization-requests", params=authorization_query(created["client_id"], new_pkce())
    )
    assert (asked.status_code, asked.json()["code"]) == (400, "invalid_client")
    dead = await refresh(client, created["client_id"], token["refresh_token"], secret=created["client_secret"])
    assert dead.status_code in (400, 401) and dead.json()["code"] in ("invalid_client", "invalid_grant")


async def test_operators_register_no_apps(client: httpx.AsyncClient, login) -> None:  # type: ignore[no-untyped-def]
    r = await client.post(
        "/v1/oauth/clients",
        json={"name": "x", "client_type": "public", "redirect_uris": ["https://ok.example/cb"]},
        headers=await login(),
    )
    assert (r.status_code, r.json()["code"]) == (403, "account_token_required")


async def test_the_server_metadata_names_its_endpoints_and_pkce_s256(client: httpx.AsyncClient, settings) -> None:  # type: ignore[no-untyped-def]
    r = await client.get("/.well-known/oauth-authorization-server")
    assert r.status_code == 200, r.text
    doc = r.json()
    issuer = settings.oauth_issuer
    assert doc["issuer"] == issuer
    assert doc["authorization_endpoint"] == f"{issuer}/oauth/authorize"
    assert doc["token_endpoint"] == f"{issuer}/v1/oauth/token"
    assert doc["revocation_endpoint"] == f"{issuer}/v1/oauth/revoke"
    assert doc["jwks_uri"] == f"{issuer}/v1/.well-known/jwks.json"
    assert doc["code_challenge_methods_supported"] == ["S256"] and doc["response_types_supported"] == ["code"]
    assert "operator" not in doc["scopes_supported"]


def test_the_metadata_of_an_https_issuer_passes_authlibs_rfc_8414_checks(settings) -> None:  # type: ignore[no-untyped-def]
    metadata = server_metadata(settings.model_copy(update={"oauth_issuer": "https://trickle.example"}))
    assert isinstance(metadata, AuthorizationServerMetadata)
    metadata.validate()
