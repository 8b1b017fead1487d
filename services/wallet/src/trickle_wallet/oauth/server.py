"""Authlib's authorization server, fed synchronously from what was loaded before it runs.

Authlib's grants and endpoints are synchronous and ask their storage questions from inside
(``query_client``, ``query_authorization_code``...), while our storage is asynchronous. So each
request builds one ``TrickleAuthorizationServer`` around a ``Loaded`` snapshot: the client the request
names, the code or refresh token it carries (rows locked for this transaction) and the signing key.
Authlib validates the request against that snapshot (client authentication, exact redirect URI,
PKCE S256, scopes, code binding, the token's client) and records what it decided in an ``Outcome``;
oauth/flows.py then writes the outcome in the same transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from authlib.oauth2.rfc6749 import (
    AuthorizationCodeMixin,
    AuthorizationServer,
    InvalidRequestError,
    OAuth2Payload,
    OAuth2Request,
    TokenMixin,
)
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant, RefreshTokenGrant
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge

from trickle_kit.auth import ACCOUNT_SCOPES, mint_token
from trickle_wallet.credentials.models import SigningKey
from trickle_wallet.oauth.clients import AppClient
from trickle_wallet.oauth.grants import new_refresh_token
from trickle_wallet.oauth.models import OAuthAuthorizationCode, OAuthGrant, OAuthRefreshToken
from trickle_wallet.settings import Settings

TOKEN_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]


class FormPayload(OAuth2Payload):  # type: ignore[misc]
    """The request's parameters (query or form), every value of each kept (Authlib refuses repeats)."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        datalist: defaultdict[str, list[str]] = defaultdict(list)
        for key, value in pairs:
            datalist[key].append(value)
        self._datalist = datalist
        self._data = {k: v[0] for k, v in datalist.items()}

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return self._datalist


class ParsedRequest(OAuth2Request):  # type: ignore[misc]
    """An HTTP request FastAPI has already read, as Authlib reads requests."""

    def __init__(self, method: str, uri: str, headers: Mapping[str, str], pairs: Iterable[tuple[str, str]]) -> None:
        # Kept as given: Starlette's headers answer "Authorization" case-insensitively, a dict would not.
        super().__init__(method, uri, headers=headers)
        self.payload = FormPayload(pairs)

    @property
    def args(self) -> dict[str, str]:
        return self.payload.data

    @property
    def form(self) -> dict[str, str]:
        return self.payload.data


@dataclass
class CodeView(AuthorizationCodeMixin):  # type: ignore[misc]
    row: OAuthAuthorizationCode

    @property
    def code_challenge(self) -> str:
        return self.row.code_challenge

    @property
    def code_challenge_method(self) -> str:
        return self.row.code_challenge_method

    def get_redirect_uri(self) -> str:
        return self.row.redirect_uri

    def get_scope(self) -> str:
        return " ".join(self.row.scopes)


@dataclass
class RefreshView(TokenMixin):  # type: ignore[misc]
    row: OAuthRefreshToken
    grant: OAuthGrant
    now: datetime

    @property
    def account_id(self) -> str:
        return self.grant.account_id

    @property
    def live(self) -> bool:
        return self.row.rotated_at is None and self.grant.revoked_at is None and self.row.expires_at > self.now

    def check_client(self, client: AppClient) -> bool:
        return self.row.client_id == client.get_client_id()

    def get_scope(self) -> str:
        return " ".join(self.row.scopes)

    def get_expires_in(self) -> int:
        return int((self.row.expires_at - self.row.created_at).total_seconds())

    def is_expired(self) -> bool:
        return self.row.expires_at <= self.now

    def is_revoked(self) -> bool:
        return not self.live and not self.is_expired()


@dataclass
class Loaded:
    """What Authlib's hooks may ask for, read before it runs."""

    client: AppClient | None
    signing_key: SigningKey | None = None
    code: CodeView | None = None
    refresh: RefreshView | None = None
    now: datetime | None = None


@dataclass
class Outcome:
    """What Authlib decided, for oauth/flows.py to write."""

    tokens: list[dict[str, Any]] = field(default_factory=list)
    new_code: str | None = None
    used_code: CodeView | None = None
    rotated: RefreshView | None = None
    revoked: RefreshView | None = None
    # A spent code or a rotated refresh token presented again by its own client, authenticated: end its grant.
    replayed_grant_id: str | None = None


class S256Required(CodeChallenge):  # type: ignore[misc]
    """PKCE for every client (OAuth 2.1), S256 only: a request without a challenge or with ``plain`` is refused."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]
    DEFAULT_CODE_CHALLENGE_METHOD = "S256"

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send 'code_challenge' with 'code_challenge_method=S256'.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("'code_challenge_method' must be S256 (plain is not accepted).")
        super().validate_code_challenge(grant, redirect_uri)


class CodeGrant(AuthorizationCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = TOKEN_AUTH_METHODS
    server: TrickleAuthorizationServer

    def save_authorization_code(self, code: str, request: ParsedRequest) -> None:
        self.server.outcome.new_code = code

    def query_authorization_code(self, code: str, client: AppClient) -> CodeView | None:
        view = self.server.loaded.code
        now = self.server.loaded.now
        if view is None or now is None or view.row.client_id != client.get_client_id():
            return None
        if view.row.used_at is not None:
            # Replayed by its own client (authenticated by now): what its first exchange issued is suspect.
            self.server.outcome.replayed_grant_id = view.row.grant_id
            return None
        if view.row.expires_at <= now:
            return None
        return view

    def delete_authorization_code(self, authorization_code: CodeView) -> None:
        self.server.outcome.used_code = authorization_code

    def authenticate_user(self, authorization_code: CodeView) -> str:
        return authorization_code.row.account_id


class RotatingRefreshGrant(RefreshTokenGrant):  # type: ignore[misc]
    """Every use returns a new refresh token and retires the one used (rotation)."""

    TOKEN_ENDPOINT_AUTH_METHODS = TOKEN_AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True
    server: TrickleAuthorizationServer

    def authenticate_refresh_token(self, refresh_token: str) -> RefreshView | None:
        view = self.server.loaded.refresh
        if view is None:
            return None
        if view.row.rotated_at is not None and view.check_client(self.request.client):
            # A rotated token used again by its own client (authenticated by now): one of its two holders is
            # not the app. Someone without the client's credentials ends nothing.
            self.server.outcome.replayed_grant_id = view.grant.id
            return None
        return view if view.live else None

    def authenticate_user(self, refresh_token: RefreshView) -> str:
        return refresh_token.account_id

    def revoke_old_credential(self, refresh_token: RefreshView) -> None:
        self.server.outcome.rotated = refresh_token


class Revocation(RevocationEndpoint):  # type: ignore[misc]
    """RFC 7009 for refresh tokens (revoking one ends its grant). Access tokens are self-contained
    and run out on their own: an access-token hint is answered ``unsupported_token_type``."""

    CLIENT_AUTH_METHODS = TOKEN_AUTH_METHODS
    SUPPORTED_TOKEN_TYPES = ("refresh_token",)
    server: TrickleAuthorizationServer

    def query_token(self, token_string: str, token_type_hint: str | None) -> RefreshView | None:
        return self.server.loaded.refresh

    def revoke_token(self, token: RefreshView, request: ParsedRequest) -> None:
        self.server.outcome.revoked = token


class TrickleAuthorizationServer(AuthorizationServer):  # type: ignore[misc]
    """One per request: answers Authlib's questions from ``loaded``, records its decisions in ``outcome``."""

    def __init__(self, settings: Settings, loaded: Loaded) -> None:
        super().__init__(scopes_supported=list(ACCOUNT_SCOPES))
        self.settings = settings
        self.loaded = loaded
        self.outcome = Outcome()
        self.register_grant(CodeGrant, [S256Required(required=True)])
        self.register_grant(RotatingRefreshGrant)
        self.register_endpoint(Revocation)
        self.register_token_generator("default", self.mint)

    def query_client(self, client_id: str) -> AppClient | None:
        client = self.loaded.client
        return client if client is not None and client.client_id == client_id else None

    def save_token(self, token: dict[str, Any], request: ParsedRequest) -> None:
        self.outcome.tokens.append(token)

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return None

    def create_oauth2_request(self, request: ParsedRequest) -> ParsedRequest:
        return request

    def handle_response(self, status: int, body: Any, headers: Any) -> tuple[int, Any, Any]:
        return status, body, headers

    def mint(
        self,
        grant_type: str,
        client: AppClient,
        user: str | None = None,
        scope: str | None = None,
        expires_in: int | None = None,
        include_refresh_token: bool = True,
    ) -> dict[str, Any]:
        """An access token (the wallet's EdDSA JWT, naming the client) and, when asked, a new refresh token."""
        key = self.loaded.signing_key
        if key is None or user is None:
            raise RuntimeError("the signing key and the account are loaded before tokens are minted")
        ttl = expires_in or self.settings.access_token_ttl_s
        scopes = scope.split() if scope else []
        access = mint_token(
            key.private_pem,
            key.kid,
            subject=user,
            scopes=scopes,
            issuer=self.settings.token_issuer,
            audience=self.settings.token_audience,
            ttl_s=ttl,
            account_id=user,
            client_id=client.get_client_id(),
        )
        token: dict[str, Any] = {"access_token": access, "token_type": "Bearer", "expires_in": ttl, "scope": scope}
        if include_refresh_token:
            token["refresh_token"] = new_refresh_token()
        return token
