"""OAuth2 bearer tokens: EdDSA-signed JWTs minted by the wallet, verified by every service against its JWKS.

A service names each scope once, as an alias in its ``deps.py``
(``ClicksWrite = Annotated[Principal, require("clicks:write")]``), and endpoints declare what they
need with ``principal: ClicksWrite``; the scopes show in OpenAPI under the OAuth2
client-credentials scheme. The ``operator`` scope satisfies every scope.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from fastapi import Depends, Request, Security
from fastapi.openapi.models import OAuthFlowAuthorizationCode, OAuthFlowClientCredentials, OAuthFlows
from fastapi.security import OAuth2, SecurityScopes
from jwt.algorithms import OKPAlgorithm

from trickle_kit.problems import ProblemError
from trickle_kit.settings import KitSettings

ALGORITHM = "EdDSA"
TOKEN_URL = "/v1/oauth/token"
# The consent page of the web front end (the gateway routes it); the wallet's API behind it.
AUTHORIZATION_URL = "/oauth/authorize"
OPERATOR = "operator"

SCOPES: dict[str, str] = {
    "accounts:read": "Read your account and API keys",
    "accounts:write": "Change your account and API keys",
    "wallet:read": "Read deposits, budget, transfers, payouts and balances",
    "wallet:write": "Make deposits, set the budget, send tips, request payouts",
    "clicks:read": "Read things, clicks, claims and subscriptions",
    "clicks:write": "Register things, click, claim, subscribe",
    "ledger:read": "Read your ledger statements",
    "webhooks:read": "Read webhook endpoints, messages and attempts",
    "webhooks:write": "Manage webhook endpoints and replay messages",
    OPERATOR: "Operate the platform (every scope)",
}
ACCOUNT_SCOPES: tuple[str, ...] = tuple(s for s in SCOPES if s != OPERATOR)

oauth2_scheme = OAuth2(
    flows=OAuthFlows(
        clientCredentials=OAuthFlowClientCredentials(tokenUrl=TOKEN_URL, scopes=SCOPES),
        authorizationCode=OAuthFlowAuthorizationCode(
            authorizationUrl=AUTHORIZATION_URL, tokenUrl=TOKEN_URL, refreshUrl=TOKEN_URL, scopes=SCOPES
        ),
    ),
    scheme_name="OAuth2",
    description=(
        "OAuth2 client credentials: exchange an API key at the wallet's token endpoint. Apps acting for a "
        "person: the authorization code flow with PKCE S256 (refresh tokens rotate on every use)."
    ),
    auto_error=False,
)


@dataclass(frozen=True)
class Principal:
    """Who is calling: an account (``account_id``) or an operator, with the token's scopes."""

    subject: str
    account_id: str | None
    scopes: frozenset[str]
    token_id: str | None = None
    # The OAuth client the token was issued to (an app, or trickle-web for a signed-in person);
    # None for API keys and the operator.
    client_id: str | None = None

    @property
    def is_operator(self) -> bool:
        return OPERATOR in self.scopes

    def has(self, scope: str) -> bool:
        return self.is_operator or scope in self.scopes

    def own_account(self) -> str:
        """The caller's account id; 403 for tokens that belong to no account (operators)."""
        if self.account_id is None:
            raise ProblemError(403, "account_token_required", "Forbidden", "Only an account's token may do this")
        return self.account_id

    def may_act_for(self, account_id: str) -> bool:
        """True for the account itself and for operators."""
        return self.is_operator or self.account_id == account_id


# ---- keys and minting (the wallet issues; tests mint with trickle_kit.testing_auth) ----


def generate_private_pem() -> str:
    """A new Ed25519 private key, PEM (PKCS8)."""
    key = Ed25519PrivateKey.generate()
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def public_jwk(private_pem: str, kid: str) -> dict[str, Any]:
    """The public half of a signing key as a JWK for the JWKS document."""
    private = serialization.load_pem_private_key(private_pem.encode(), password=None)
    assert isinstance(private, Ed25519PrivateKey)
    jwk: dict[str, Any] = json.loads(OKPAlgorithm.to_jwk(private.public_key()))
    jwk.update({"kid": kid, "alg": ALGORITHM, "use": "sig"})
    return jwk


def mint_token(
    private_pem: str,
    kid: str,
    *,
    subject: str,
    scopes: list[str] | tuple[str, ...],
    issuer: str,
    audience: str,
    ttl_s: int = 900,
    account_id: str | None = None,
    now: float | None = None,
    client_id: str | None = None,
) -> str:
    """Sign an access token. ``account_id`` is absent for operator tokens; ``client_id`` names the
    OAuth client app a person's token was issued to (absent for API keys)."""
    issued = int(now if now is not None else time.time())
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": audience,
        "sub": subject,
        "iat": issued,
        "nbf": issued - 5,
        "exp": issued + ttl_s,
        "jti": uuid.uuid4().hex,
        "scope": " ".join(scopes),
    }
    if account_id:
        claims["account_id"] = account_id
    if client_id:
        claims["client_id"] = client_id
    return jwt.encode(claims, private_pem, algorithm=ALGORITHM, headers={"kid": kid})


# ---- verification ----

JwksFetcher = Callable[[], Awaitable[dict[str, Any]]]


def _unauthorized(code: str, detail: str) -> ProblemError:
    return ProblemError(401, code, "Unauthorized", detail, headers={"WWW-Authenticate": "Bearer"})


LEEWAY_S = 5


class TokenVerifier:
    """Verifies bearer tokens against a JWKS, cached by key id and refreshed on an unknown kid
    (at most once per ``min_refresh_interval_s``; see ``_refresh``).

    A verified token's principal is remembered (bounded LRU, ``cache_size`` tokens) until the
    token expires: a token is immutable, so verifying it again can only repeat the answer,
    and an EdDSA signature check in pure Python costs far more than the request it guards.
    Failures are not remembered.
    """

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        jwks_url: str | None = None,
        fetch_jwks: JwksFetcher | None = None,
        static_jwks: dict[str, Any] | None = None,
        min_refresh_interval_s: float = 2.0,
        cache_size: int = 10_000,
    ) -> None:
        self.issuer = issuer
        self.audience = audience
        self.jwks_url = jwks_url
        self._fetch = fetch_jwks
        self._keys: dict[str, Ed25519PublicKey] = {}
        self._last_refresh = -math.inf
        self._generation = 0
        self._lock = asyncio.Lock()
        self.min_refresh_interval_s = min_refresh_interval_s
        self.refreshes = 0
        self.cache_size = cache_size
        self._verified: OrderedDict[str, tuple[Principal, float]] = OrderedDict()
        if static_jwks is not None:
            self._load(static_jwks)

    @classmethod
    def from_settings(cls, settings: KitSettings) -> TokenVerifier:
        return cls(
            issuer=settings.token_issuer,
            audience=settings.token_audience,
            jwks_url=settings.jwks_url,
            cache_size=settings.token_cache_size,
        )

    def _load(self, jwks: dict[str, Any]) -> None:
        keys: dict[str, Ed25519PublicKey] = {}
        for jwk in jwks.get("keys", []):
            if jwk.get("kty") == "OKP" and jwk.get("kid"):
                key = OKPAlgorithm.from_jwk(json.dumps(jwk))
                if isinstance(key, Ed25519PublicKey):
                    keys[jwk["kid"]] = key
        self._keys = keys

    async def _refresh(self, seen_generation: int) -> None:
        """Fetch the JWKS, at most once per ``min_refresh_interval_s`` whatever the callers ask.

        Callers that asked while another refresh ran take that one's keys (``seen_generation``
        is the refresh count they saw before asking); the first to ask after it waits out the
        rest of the interval, then fetches once for everyone queued behind it. A flood of
        tokens with made-up key ids costs one fetch per interval, and a genuinely new key (a
        rotation) is found at most one interval late, not refused.
        """
        async with self._lock:
            if self._generation != seen_generation:
                return
            wait = self._last_refresh + self.min_refresh_interval_s - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._last_refresh = time.monotonic()
            self._generation += 1
            if self._fetch is not None:
                jwks = await self._fetch()
            elif self.jwks_url:
                async with httpx.AsyncClient(timeout=3.0) as client:
                    response = await client.get(self.jwks_url)
                    response.raise_for_status()
                    jwks = response.json()
            else:
                return
            self._load(jwks)
            self.refreshes += 1

    async def _key(self, kid: str, refresh: bool) -> Ed25519PublicKey | None:
        if kid not in self._keys and refresh:
            try:
                await self._refresh(self._generation)
            except (httpx.HTTPError, ValueError) as exc:
                raise ProblemError(
                    503, "jwks_unavailable", "Cannot verify tokens", f"JWKS fetch failed: {exc}"
                ) from exc
        return self._keys.get(kid)

    async def verify(self, token: str, *, refresh: bool = True) -> Principal:
        """The principal of a valid token; a 401 problem otherwise.

        ``refresh=False``: never fetch the JWKS (no I/O at all); a token signed by a key not
        known yet is refused. The rate limiter verifies this way, before any limit applies.
        """
        cached = self._verified.get(token)
        if cached is not None:
            principal, valid_until = cached
            if time.time() < valid_until:
                self._verified.move_to_end(token)
                return principal
            del self._verified[token]
        principal, valid_until = await self._verify(token, refresh)
        if self.cache_size > 0:
            self._verified[token] = (principal, valid_until)
            if len(self._verified) > self.cache_size:
                self._verified.popitem(last=False)
        return principal

    async def _verify(self, token: str, refresh: bool) -> tuple[Principal, float]:
        """The principal of a valid token and until when it stays valid (its ``exp`` plus the leeway)."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise _unauthorized("invalid_token", "The bearer token is malformed") from exc
        if header.get("alg") != ALGORITHM or not isinstance(header.get("kid"), str):
            raise _unauthorized("invalid_token", "The bearer token is not signed with a known algorithm and key")
        key = await self._key(header["kid"], refresh)
        if key is None:
            raise _unauthorized("invalid_token", "The bearer token is signed by an unknown key")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
                leeway=LEEWAY_S,
            )
        except jwt.ExpiredSignatureError as exc:
            raise _unauthorized("token_expired", "The bearer token has expired") from exc
        except jwt.PyJWTError as exc:
            raise _unauthorized("invalid_token", f"The bearer token is invalid: {exc}") from exc
        scopes = frozenset(str(claims.get("scope", "")).split())
        principal = Principal(
            subject=str(claims["sub"]),
            account_id=claims.get("account_id"),
            scopes=scopes,
            token_id=claims.get("jti"),
            client_id=claims.get("client_id"),
        )
        # PyJWT accepts while exp > now - leeway; the cache answers exactly as long.
        return principal, float(claims["exp"]) + LEEWAY_S


def verifier_of(request: Request) -> TokenVerifier:
    """The app's verifier (``app.state.verifier``), created from settings on first use."""
    state = request.app.state
    verifier: TokenVerifier | None = getattr(state, "verifier", None)
    if verifier is None:
        verifier = TokenVerifier.from_settings(state.settings)
        state.verifier = verifier
    return verifier


async def authenticate(
    request: Request, security_scopes: SecurityScopes, authorization: str | None = Depends(oauth2_scheme)
) -> Principal:
    """FastAPI dependency: 401 without a valid bearer token, 403 without the required scopes."""
    if not authorization:
        raise _unauthorized("unauthenticated", "A bearer token is required")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized("unauthenticated", "Use the Authorization: Bearer <token> header")
    principal = await verifier_of(request).verify(token.strip())
    missing = [s for s in security_scopes.scopes if not principal.has(s)]
    if missing:
        raise ProblemError(403, "insufficient_scope", "Forbidden", f"The token lacks the scope(s): {' '.join(missing)}")
    return principal


def require(*scopes: str) -> Any:
    """``Annotated[Principal, require("wallet:write")]``: authenticate and demand ``scopes``."""
    return Security(authenticate, scopes=list(scopes))
