"""What the OAuth tests do as an app (and as the person at the consent page) would."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from fastapi import FastAPI

from trickle_wallet.oauth import flows

REDIRECT_URI = "https://podcasts.example/callback"


@dataclass(frozen=True)
class Pkce:
    verifier: str
    challenge: str


def new_pkce() -> Pkce:
    verifier = secrets.token_urlsafe(48)
    return Pkce(verifier=verifier, challenge=create_s256_code_challenge(verifier))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


async def register_app(
    client: httpx.AsyncClient,
    owner_headers: dict[str, str],
    *,
    client_type: str = "public",
    redirect_uris: list[str] | None = None,
    scopes: list[str] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Podcast player",
        "client_type": client_type,
        "redirect_uris": redirect_uris or [REDIRECT_URI],
    }
    if scopes is not None:
        body["scopes"] = scopes
    r = await client.post("/v1/oauth/clients", json=body, headers=owner_headers)
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


async def signed_in(app: FastAPI, account_id: str) -> dict[str, Any]:
    """The tokens of a trickle-web session of ``account_id`` (what POST /v1/sessions returns after the password)."""
    async with app.state.sessions() as session, session.begin():
        return await flows.start_session(session, app.state.settings, account_id)


def authorization_query(
    client_id: str,
    pkce: Pkce | None,
    *,
    redirect_uri: str = REDIRECT_URI,
    scope: str | None = "wallet:read accounts:read",
    state: str = "xyz-state",
    method: str = "S256",
) -> dict[str, str]:
    query = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri, "state": state}
    if scope is not None:
        query["scope"] = scope
    if pkce is not None:
        query["code_challenge"] = pkce.challenge
        query["code_challenge_method"] = method
    return query


async def approve(
    client: httpx.AsyncClient, session_token: str, query: dict[str, str], decision: str = "approve"
) -> httpx.Response:
    return await client.post(
        "/v1/oauth/authorizations", json={**query, "decision": decision}, headers=bearer(session_token)
    )


def redirect_params(redirect_to: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(redirect_to).query).items()}


async def exchange(
    client: httpx.AsyncClient,
    client_id: str,
    code: str,
    verifier: str | None,
    *,
    redirect_uri: str = REDIRECT_URI,
    secret: str | None = None,
) -> httpx.Response:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    if verifier is not None:
        form["code_verifier"] = verifier
    headers = basic(client_id, secret) if secret is not None else {}
    if secret is None:
        form["client_id"] = client_id
    return await client.post("/v1/oauth/token", data=form, headers=headers)


async def refresh(
    client: httpx.AsyncClient,
    client_id: str,
    refresh_token: str,
    *,
    secret: str | None = None,
    scope: str | None = None,
) -> httpx.Response:
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    if scope is not None:
        form["scope"] = scope
    headers = basic(client_id, secret) if secret is not None else {}
    if secret is None:
        form["client_id"] = client_id
    return await client.post("/v1/oauth/token", data=form, headers=headers)


async def authorized(
    client: httpx.AsyncClient,
    app: FastAPI,
    account_id: str,
    client_id: str,
    *,
    scope: str = "wallet:read accounts:read",
    secret: str | None = None,
) -> dict[str, Any]:
    """The whole happy path for ``client_id``: the person approves, the app exchanges the code. The token body."""
    pkce = new_pkce()
    session = await signed_in(app, account_id)
    r = await approve(client, session["access_token"], authorization_query(client_id, pkce, scope=scope))
    assert r.status_code == 200, r.text
    code = redirect_params(r.json()["redirect_to"])["code"]
    token = await exchange(client, client_id, code, pkce.verifier, secret=secret)
    assert token.status_code == 200, token.text
    body: dict[str, Any] = token.json()
    return body
