"""Request and response models of client apps, the consent API, sign-in sessions and authorized apps."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from trickle_kit.pagination import Page
from trickle_wallet.credentials.schemas import AccountScope


class OAuthClientCreate(BaseModel):
    """A new client app. Redirect URIs are matched exactly: https, or http only to a loopback address."""

    model_config = ConfigDict(extra="forbid", title="OAuthClientCreate")

    name: str = Field(min_length=1, max_length=100, examples=["Podcast player"])
    redirect_uris: list[Annotated[str, Field(max_length=2000)]] = Field(
        min_length=1, max_length=10, examples=[["https://podcasts.example/callback", "http://127.0.0.1:7777/cb"]]
    )
    client_type: Literal["public", "confidential"] = Field(
        description="public: runs where a secret cannot be kept (browser, phone), authenticates with PKCE only; "
        "confidential: a server that keeps its client_secret"
    )
    scopes: list[AccountScope] | None = Field(
        default=None, min_length=1, max_length=9, description="The most the app may ask for; default: every scope"
    )


class OAuthClient(BaseModel):
    """A registered client app. ``client_secret`` is never shown again."""

    model_config = ConfigDict(title="OAuthClient")

    client_id: str = Field(examples=["app_0190c0ffee0000000000000000000000"])
    account_id: str
    name: str
    client_type: Literal["public", "confidential"]
    redirect_uris: list[str]
    scopes: list[str]
    secret_hint: str | None = Field(default=None, description="A confidential client's secret's last characters")
    created_at: datetime


class OAuthClientCreated(OAuthClient):
    """A client just registered: a confidential client's ``client_secret`` is shown this once."""

    model_config = ConfigDict(title="OAuthClientCreated")

    client_secret: str | None = Field(
        default=None,
        description="Confidential clients, in this response only (null for public clients and on a replay).",
        examples=["tkc_Xq3…"],
    )


class OAuthClientList(Page[OAuthClient]):
    pass


class ScopeDescription(BaseModel):
    """A scope and what it lets the app do, in words."""

    model_config = ConfigDict(title="ScopeDescription")

    scope: str = Field(examples=["wallet:read"])
    description: str = Field(examples=["Read deposits, budget, transfers, payouts and balances"])


class AuthorizationRequestInfo(BaseModel):
    """A valid authorization request, for the consent page to show before the person decides."""

    model_config = ConfigDict(title="AuthorizationRequestInfo")

    client_id: str
    client_name: str
    redirect_uri: str
    scopes: list[ScopeDescription]
    state: str | None = None


class AuthorizationDecision(BaseModel):
    """The authorization request's parameters as the app sent them, and the person's decision."""

    model_config = ConfigDict(extra="forbid", title="AuthorizationDecision")

    response_type: str = Field(max_length=40, examples=["code"])
    client_id: str = Field(max_length=40)
    redirect_uri: str = Field(max_length=2000)
    scope: str | None = Field(default=None, max_length=1000, examples=["wallet:read clicks:write"])
    state: str | None = Field(default=None, max_length=1000)
    code_challenge: str = Field(max_length=128)
    code_challenge_method: str = Field(max_length=10, examples=["S256"])
    decision: Literal["approve", "deny"]


class AuthorizationRedirect(BaseModel):
    """Where to send the person's browser: the app's redirect URI with ``code`` and ``state``, or
    ``error=access_denied`` and ``state``."""

    model_config = ConfigDict(title="AuthorizationRedirect")

    redirect_to: str = Field(examples=["https://podcasts.example/callback?code=Sp1x…&state=af0ifjsldkj"])


class RevocationRequest(BaseModel):
    """RFC 7009: the token to revoke and the client's credentials (a public client: its client_id only)."""

    model_config = ConfigDict(title="RevocationRequest")

    token: str = Field(max_length=4096)
    token_type_hint: str | None = Field(default=None, max_length=40, examples=["refresh_token"])
    client_id: str | None = Field(default=None, max_length=40)
    client_secret: str | None = Field(default=None, max_length=512)


class SessionCreate(BaseModel):
    """Sign in with email and password."""

    model_config = ConfigDict(extra="forbid", title="SessionCreate")

    email: EmailStr = Field(max_length=254)
    password: str = Field(min_length=1, max_length=1024)


class SessionTokens(BaseModel):
    """A signed-in session: a grant of the first-party client ``trickle-web``. Refresh at the token
    endpoint (grant_type=refresh_token, client_id=trickle-web); sign out by revoking the refresh token."""

    model_config = ConfigDict(title="SessionTokens")

    account_id: str
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int = Field(examples=[900])
    refresh_token: str
    scope: str


class AuthorizedApp(BaseModel):
    """A third-party app the account authorized (every live grant to it, together)."""

    model_config = ConfigDict(title="AuthorizedApp", from_attributes=True)

    client_id: str
    client_name: str
    scopes: list[ScopeDescription]
    authorized_at: datetime
    last_used_at: datetime


class AuthorizedAppList(Page[AuthorizedApp]):
    pass


class ServerMetadata(BaseModel):
    """OAuth 2.0 authorization server metadata (RFC 8414)."""

    model_config = ConfigDict(title="ServerMetadata", extra="allow")

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    revocation_endpoint: str
    jwks_uri: str
    scopes_supported: list[str]
    response_types_supported: list[str]
    grant_types_supported: list[str]
    token_endpoint_auth_methods_supported: list[str]
    revocation_endpoint_auth_methods_supported: list[str]
    code_challenge_methods_supported: list[str]
