"""What an authorization server must refuse: requests without PKCE or with ``plain``, a wrong verifier,
a tampered redirect URI (at the consent API and at the token endpoint), a replayed code (which also
ends what its first exchange issued), an expired code, an app approving itself, an unknown client, a
confidential client with a wrong secret. None of these redirects anywhere."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update

from trickle_kit.envelope import utcnow
from trickle_wallet.credentials.service import hash_secret
from trickle_wallet.oauth.models import OAuthAuthorizationCode

from ..support.oauth import (
    REDIRECT_URI,
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


async def _public_app(client: httpx.AsyncClient, register, login) -> str:  # type: ignore[no-untyped-def]
    return str((await register_app(client, await login(await register())))["client_id"])


async def _code(client: httpx.AsyncClient, app, account_id: str, client_id: str, pkce) -> str:  # type: ignore[no-untyped-def]
    session = await signed_in(app, account_id)
    r = await approve(client, session["access_token"], authorization_query(client_id, pkce))
    assert r.status_code == 200, r.text
    return redirect_params(r.json()["redirect_to"])["code"]


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        (lambda q: q.pop("code_challenge") and q.pop("code_challenge_method"), "invalid_request", "PKCE is required"),
        (lambda q: q.pop("code_challenge_method"), "invalid_request", "S256"),
        (lambda q: q.update(code_challenge_method="plain"), "invalid_request", "plain"),
        (lambda q: q.update(code_challenge="short"), "invalid_request", "code_challenge"),
        (lambda q: q.update(redirect_uri=REDIRECT_URI + "/elsewhere"), "invalid_request", "Redirect URI"),
        (lambda q: q.update(redirect_uri=REDIRECT_URI + "?next=https://evil.example"), "invalid_request", "Redirect"),
        (lambda q: q.update(redirect_uri="https://evil.example/callback"), "invalid_request", "Redirect URI"),
        (lambda q: q.pop("redirect_uri"), "invalid_request", "redirect_uri"),
        (lambda q: q.update(response_type="token"), "unsupported_response_type", "token"),
        (lambda q: q.update(scope="wallet:write"), "invalid_scope", None),
        (lambda q: q.update(scope="operator"), "invalid_scope", None),
        (lambda q: q.update(client_id="app_00000000000000000000000000000000"), "invalid_client", None),
        (lambda q: q.update(client_id="trickle-web"), "invalid_request", "Redirect URI"),
        (lambda q: q.update(response_type="\x1f"), "invalid_request", "invalid characters"),
        (lambda q: q.update(redirect_uri=REDIRECT_URI + '"'), "invalid_request", "invalid characters"),
    ],
    ids=[
        "no_pkce",
        "no_method",
        "plain",
        "bad_challenge",
        "other_path",
        "extra_query",
        "other_host",
        "no_redirect_uri",
        "implicit",
        "scope_beyond_the_app",
        "operator_scope",
        "unknown_client",
        "first_party_client",
        "control_character",
        "quote_in_redirect_uri",
    ],
)
async def test_a_bad_authorization_request_is_a_problem_at_the_consent_api_and_never_a_redirect(
    app, client: httpx.AsyncClient, register, login, change, code: str, words: str | None
) -> None:  # type: ignore[no-untyped-def]
    account_id = (await register())["account"]["id"]
    owner = await login(await register())
    client_id = (await register_app(client, owner, scopes=["wallet:read", "accounts:read"]))["client_id"]
    query = authorization_query(client_id, new_pkce())
    change(query)
    asked = await client.get("/v1/oauth/authorization-requests", params=query)
    assert (asked.status_code, asked.json()["code"]) == (400, code), asked.text
    assert "location" not in asked.headers
    if words:
        assert words in asked.json()["detail"]
    # Approving the same request fails the same way: no code is made, nothing points at the redirect URI.
    session = await signed_in(app, account_id)
    body = {k: v for k, v in query.items()}
    body.setdefault("code_challenge", "")
    body.setdefault("code_challenge_method", "")
    body.setdefault("redirect_uri", "")
    decided = await client.post(
        "/v1/oauth/authorizations", json={**body, "decision": "approve"}, headers=bearer(session["access_token"])
    )
    assert decided.status_code == 400 and decided.json()["code"] == code, decided.text


async def test_the_code_needs_the_verifier_of_its_challenge(app, client: httpx.AsyncClient, register, login) -> None:  # type: ignore[no-untyped-def]
    account_id = (await register())["account"]["id"]
    client_id = await _public_app(client, register, login)
    pkce = new_pkce()
    code = await _code(client, app, account_id, client_id, pkce)
    missing = await exchange(client, client_id, code, None)
    assert (missing.status_code, missing.json()["code"]) == (400, "invalid_request")
    wrong = await exchange(client, client_id, code, new_pkce().verifier)
    assert (wrong.status_code, wrong.json()["code"]) == (400, "invalid_grant")
    # Refused exchanges do not spend the code: the app holding the verifier still gets its tokens.
    right = await exchange(client, client_id, code, pkce.verifier)
    assert right.status_code == 200, right.text


async def test_the_code_is_bound_to_its_redirect_uri_and_its_client(
    app, client: httpx.AsyncClient, register, login
) -> None:  # type: ignore[no-untyped-def]
    account_id = (await register())["account"]["id"]
    client_id = await _public_app(client, register, login)
    other_client = await _public_app(client, register, login)
    pkce = new_pkce()
    code = await _code(client, app, account_id, client_id, pkce)
    tampered = await exchange(client, client_id, code, pkce.verifier, redirect_uri="https://evil.example/callback")
    assert (tampered.status_code, tampered.json()["code"]) == (400, "invalid_grant")
    stolen = await exchange(client, other_client, code, pkce.verifier)
    assert (stolen.status_code, stolen.json()["code"]) == (400, "invalid_grant")
    assert (await exchange(client, client_id, code, pkce.verifier)).status_code == 200


async def test_a_replayed_code_is_refused_and_ends_the_tokens_of_its_first_exchange(
    app, client: httpx.AsyncClient, register, login
) -> None:  # type: ignore[no-untyped-def]
    account_id = (await register())["account"]["id"]
    client_id = await _public_app(client, register, login)
    pkce = new_pkce()
    code = await _code(client, app, account_id, client_id, pkce)
    first = await exchange(client, client_id, code, pkce.verifier)
    assert first.status_code == 200, first.text
    replay = await exchange(client, client_id, code, pkce.verifier)
    assert (replay.status_code, replay.json()["code"]) == (400, "invalid_grant")
    after = await refresh(client, client_id, first.json()["refresh_token"])
    assert (after.status_code, after.json()["code"]) == (400, "invalid_grant")


async def test_an_expired_code_is_refused(app, client: httpx.AsyncClient, register, login) -> None:  # type: ignore[no-untyped-def]
    account_id = (await register())["account"]["id"]
    client_id = await _public_app(client, register, login)
    pkce = new_pkce()
    code = await _code(client, app, account_id, client_id, pkce)
    # The code's lifetime passes (oauth_code_ttl_s), as the clock would move it.
    async with app.state.sessions() as session, session.begin():
        await session.execute(
            update(OAuthAuthorizationCode)
            .where(OAuthAuthorizationCode.code_hash == hash_secret(code))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    late = await exchange(client, client_id, code, pkce.verifier)
    assert (late.status_code, late.json()["code"]) == (400, "invalid_grant")


async def test_only_a_first_party_session_token_may_approve(app, client: httpx.AsyncClient, register, login) -> None:  # type: ignore[no-untyped-def]
    person = await register()
    account_id = person["account"]["id"]
    client_id = await _public_app(client, register, login)
    app_token = (await authorized(client, app, account_id, client_id, scope="accounts:read accounts:write"))[
        "access_token"
    ]
    api_key_token = (await login(person))["Authorization"].removeprefix("Bearer ")
    for token in (app_token, api_key_token):
        r = await approve(client, token, authorization_query(client_id, new_pkce()))
        assert (r.status_code, r.json()["code"]) == (403, "first_party_session_required"), r.text
    assert (await client.post("/v1/oauth/authorizations", json={})).status_code in (401, 422)


async def test_a_confidential_client_authenticates_with_its_secret(
    app, client: httpx.AsyncClient, register, login
) -> None:  # type: ignore[no-untyped-def]
    account_id = (await register())["account"]["id"]
    registered = await register_app(client, await login(await register()), client_type="confidential")
    client_id, secret = registered["client_id"], registered["client_secret"]
    assert secret.startswith("tkc_") and registered["secret_hint"] == secret[-4:]
    pkce = new_pkce()
    code = await _code(client, app, account_id, client_id, pkce)
    wrong = await exchange(client, client_id, code, pkce.verifier, secret=secret + "x")
    assert (wrong.status_code, wrong.json()["code"]) == (401, "invalid_client")
    bare = await exchange(client, client_id, code, pkce.verifier)  # as if it were public: no secret
    assert (bare.status_code, bare.json()["code"]) == (401, "invalid_client")
    right = await exchange(client, client_id, code, pkce.verifier, secret=secret)
    assert right.status_code == 200, right.text
    posted = await client.post(
        "/v1/oauth/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": right.json()["refresh_token"],
            "client_id": client_id,
            "client_secret": secret,
        },
    )
    assert posted.status_code == 200, posted.text
    stolen = await refresh(client, client_id, posted.json()["refresh_token"], secret="tkc_guess")
    assert (stolen.status_code, stolen.json()["code"]) == (401, "invalid_client")


async def test_unknown_grant_types_and_unknown_clients_at_the_token_endpoint(client: httpx.AsyncClient) -> None:
    r = await client.post("/v1/oauth/token", data={"grant_type": "password", "username": "a", "password": "b"})
    assert (r.status_code, r.json()["code"]) == (400, "unsupported_grant_type")
    r = await client.post(
        "/v1/oauth/token",
        data={"grant_type": "authorization_code", "code": "x", "redirect_uri": REDIRECT_URI, "client_id": "app_nobody"},
    )
    assert r.json()["code"] == "invalid_client" and r.status_code in (400, 401)


async def test_two_exchanges_of_one_code_at_once_give_tokens_once(
    app, client: httpx.AsyncClient, register, login
) -> None:  # type: ignore[no-untyped-def]
    account_id = (await register())["account"]["id"]
    client_id = await _public_app(client, register, login)
    pkce = new_pkce()
    code = await _code(client, app, account_id, client_id, pkce)
    answers = await asyncio.gather(*(exchange(client, client_id, code, pkce.verifier) for _ in range(2)))
    assert sorted(a.status_code for a in answers) == [200, 400]


async def test_two_refreshes_with_one_token_at_once_rotate_it_once(
    app, client: httpx.AsyncClient, register, login
) -> None:  # type: ignore[no-untyped-def]
    account_id = (await register())["account"]["id"]
    client_id = await _public_app(client, register, login)
    token = await authorized(client, app, account_id, client_id)
    answers = await asyncio.gather(*(refresh(client, client_id, token["refresh_token"]) for _ in range(2)))
    assert sorted(a.status_code for a in answers) == [200, 400]
