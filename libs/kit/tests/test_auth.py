"""The bearer-token dependency every service uses: 401/403 and the OpenAPI scheme."""

from __future__ import annotations

import time
from typing import Annotated

import httpx
import jwt
import pytest
from fastapi import APIRouter, FastAPI

from trickle_kit.auth import Principal, TokenVerifier, mint_token, require
from trickle_kit.problems import ProblemError, install_problem_handlers
from trickle_kit.settings import KitSettings
from trickle_kit.testing_auth import TokenFactory

router = APIRouter()


@router.get("/v1/things")
async def list_things(principal: Annotated[Principal, require("clicks:read")]) -> dict[str, str | None]:
    return {"account_id": principal.account_id}


def make_app(tf: TokenFactory) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(router)
    app.state.verifier = tf.verifier()
    return app


@pytest.fixture
def tf() -> TokenFactory:
    return TokenFactory()


async def call(app: FastAPI, headers: dict[str, str]) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        return await c.get("/v1/things", headers=headers)


async def test_a_valid_token_with_the_scope_passes(tf: TokenFactory) -> None:
    r = await call(make_app(tf), tf.headers("acct_1", ["clicks:read"]))
    assert r.status_code == 200
    assert r.json() == {"account_id": "acct_1"}


@pytest.mark.parametrize(
    ("headers_of", "code"),
    [
        (lambda tf: {}, "unauthenticated"),
        (lambda tf: {"Authorization": "Basic abc"}, "unauthenticated"),
        (lambda tf: {"Authorization": "Bearer not.a.jwt"}, "invalid_token"),
        (lambda tf: tf.expired_headers("acct_1"), "token_expired"),
        (lambda tf: tf.forged_headers("acct_1"), "invalid_token"),
        (lambda tf: TokenFactory().headers("acct_1"), "invalid_token"),
    ],
)
async def test_bad_credentials_are_401_problems(tf: TokenFactory, headers_of, code: str) -> None:  # type: ignore[no-untyped-def]
    r = await call(make_app(tf), headers_of(tf))
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == code
    assert r.headers["www-authenticate"] == "Bearer"


async def test_a_missing_scope_is_403(tf: TokenFactory) -> None:
    r = await call(make_app(tf), tf.headers("acct_1", ["wallet:read"]))
    assert r.status_code == 403
    assert r.json()["code"] == "insufficient_scope"


async def test_the_operator_scope_satisfies_every_scope(tf: TokenFactory) -> None:
    r = await call(make_app(tf), tf.operator_headers())
    assert r.status_code == 200


async def test_an_unknown_key_id_refreshes_the_jwks_once(tf: TokenFactory) -> None:
    served = {"keys": []}  # type: ignore[var-annotated]

    async def fetch() -> dict[str, object]:
        return served

    verifier = TokenVerifier(issuer=tf.issuer, audience=tf.audience, fetch_jwks=fetch, min_refresh_interval_s=0)
    served = tf.jwks()  # rotation: the key appears after the verifier started
    principal = await verifier.verify(tf.token("acct_9", ["clicks:read"]))
    assert principal.account_id == "acct_9"
    assert verifier.refreshes == 1
    await verifier.verify(tf.token("acct_9", ["clicks:read"]))
    assert verifier.refreshes == 1


def test_openapi_shows_the_oauth2_client_credentials_scheme_with_scopes(tf: TokenFactory) -> None:
    schema = make_app(tf).openapi()
    scheme = schema["components"]["securitySchemes"]["OAuth2"]
    assert "clicks:read" in scheme["flows"]["clientCredentials"]["scopes"]
    assert schema["paths"]["/v1/things"]["get"]["security"] == [{"OAuth2": ["clicks:read"]}]
    flow = scheme["flows"]["authorizationCode"]
    assert (flow["authorizationUrl"], flow["tokenUrl"], flow["refreshUrl"]) == (
        "/oauth/authorize",
        "/v1/oauth/token",
        "/v1/oauth/token",
    )


async def test_a_token_issued_to_an_oauth_client_names_it_and_an_api_keys_does_not(tf: TokenFactory) -> None:
    verifier = tf.verifier()
    app_token = mint_token(
        tf.private_pem,
        tf.kid,
        subject="acct_a",
        scopes=["wallet:read"],
        issuer=tf.issuer,
        audience=tf.audience,
        account_id="acct_a",
        client_id="app_x",
    )
    assert (await verifier.verify(app_token)).client_id == "app_x"
    assert (await verifier.verify(tf.token("acct_a"))).client_id is None


# ---- remembered verifications ----


async def test_a_verified_token_is_remembered_until_it_expires_and_failures_are_not(tf: TokenFactory) -> None:
    verifier = tf.verifier()
    token = tf.token("acct_a", ttl_s=600)
    principal = await verifier.verify(token)
    exp = jwt.decode(token, options={"verify_signature": False})["exp"]
    assert verifier._verified[token] == (principal, exp + 5)  # exp plus the leeway PyJWT grants
    assert await verifier.verify(token) is principal  # the second call does not verify again
    forged = tf.forged_headers("acct_b")["Authorization"].removeprefix("Bearer ")
    with pytest.raises(ProblemError):
        await verifier.verify(forged)
    assert forged not in verifier._verified


async def test_a_remembered_token_past_its_expiry_is_verified_again_and_refused(tf: TokenFactory) -> None:
    verifier = tf.verifier()
    expired = tf.expired_headers("acct_a")["Authorization"].removeprefix("Bearer ")
    stale = Principal(subject="acct_a", account_id="acct_a", scopes=frozenset())
    verifier._verified[expired] = (stale, time.time() - 1)
    with pytest.raises(ProblemError) as refused:
        await verifier.verify(expired)
    assert refused.value.code == "token_expired"
    assert expired not in verifier._verified


async def test_remembered_tokens_are_bounded_least_recently_used_first(tf: TokenFactory) -> None:
    verifier = TokenVerifier(issuer=tf.issuer, audience=tf.audience, static_jwks=tf.jwks(), cache_size=2)
    a, b, c = (tf.token(f"acct_{n}") for n in "abc")
    await verifier.verify(a)
    await verifier.verify(b)
    await verifier.verify(a)  # a is now the most recently used
    await verifier.verify(c)
    assert list(verifier._verified) == [a, c]


def test_the_remembered_tokens_are_as_many_as_the_settings_say(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRICKLE_TOKEN_CACHE_SIZE", "50000")
    assert TokenVerifier.from_settings(KitSettings()).cache_size == 50_000
    monkeypatch.delenv("TRICKLE_TOKEN_CACHE_SIZE")
    assert TokenVerifier.from_settings(KitSettings()).cache_size == 10_000
