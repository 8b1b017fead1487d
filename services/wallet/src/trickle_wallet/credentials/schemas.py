"""Request and response models of API keys, the token endpoint and the JWKS."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from trickle_kit.pagination import Page

AccountScope = Literal[
    "accounts:read",
    "accounts:write",
    "wallet:read",
    "wallet:write",
    "clicks:read",
    "clicks:write",
    "ledger:read",
    "webhooks:read",
    "webhooks:write",
]


class ApiKeyCreate(BaseModel):
    """A new API key. Without ``scopes`` it gets every scope the caller's token has (never ``operator``)."""

    model_config = ConfigDict(extra="forbid", title="ApiKeyCreate")

    name: str = Field(default="default", min_length=1, max_length=100, examples=["ci deploys"])
    scopes: list[AccountScope] | None = Field(default=None, min_length=1, max_length=9)


class ApiKey(BaseModel):
    """An API key: ``id`` is the OAuth2 ``client_id``. The secret is never shown again."""

    model_config = ConfigDict(title="ApiKey", from_attributes=True)

    id: str = Field(examples=["key_0190c0ffee0000000000000000000000"])
    account_id: str
    name: str
    scopes: list[str]
    secret_hint: str = Field(description="The secret's last characters, to tell keys apart")
    created_at: datetime
    revoked_at: datetime | None = None


class ApiKeyCreated(ApiKey):
    """A key just created: ``secret`` (the OAuth2 ``client_secret``) is shown this once."""

    model_config = ConfigDict(title="ApiKeyCreated")

    secret: str | None = Field(
        description="Shown once. Null when this is an idempotent replay: secrets are never stored.",
        examples=["tks_Xq3…"],
    )


class ApiKeyList(Page[ApiKey]):
    pass


class AccessToken(BaseModel):
    """An OAuth2 access token response (RFC 6749 section 5.1)."""

    model_config = ConfigDict(title="AccessToken")

    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int = Field(description="Seconds until the token expires", examples=[900])
    scope: str = Field(examples=["accounts:read wallet:write"])
    refresh_token: str | None = Field(
        default=None,
        description="authorization_code and refresh_token grants: the next refresh token (each is used once)",
    )


class Jwk(BaseModel):
    """A public signing key (Ed25519, RFC 8037)."""

    model_config = ConfigDict(title="Jwk")

    kty: Literal["OKP"]
    crv: Literal["Ed25519"]
    x: str
    kid: str
    alg: Literal["EdDSA"]
    use: Literal["sig"]


class JwkSet(BaseModel):
    """The keys access tokens are verified with: the current one first, then recently retired ones."""

    model_config = ConfigDict(title="JwkSet")

    keys: list[Jwk]


class SigningKeyInfo(BaseModel):
    """A signing key's public facts (never the private key)."""

    model_config = ConfigDict(title="SigningKeyInfo", from_attributes=True)

    kid: str
    created_at: datetime
    retired_at: datetime | None = None


class SigningKeyRotation(BaseModel):
    """The outcome of a rotation: the new active key and the one it replaced."""

    model_config = ConfigDict(title="SigningKeyRotation")

    active: SigningKeyInfo
    retired: SigningKeyInfo | None
