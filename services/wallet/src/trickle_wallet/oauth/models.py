"""Tables of the authorization server: client apps, a person's grants to them, codes and refresh tokens.

A grant is one authorization of one client by one account (a sign-in of ``trickle-web`` is one too):
the family every refresh token rotated from it belongs to. Revoking the grant ends the family.
Codes and refresh tokens are kept only as sha256 hashes (32 random bytes each: no dictionary to attack).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Text, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from trickle_wallet.models import Base


class OAuthClient(Base):
    """A registered app. The first-party ``trickle-web`` is built in (oauth/clients.py), not a row."""

    __tablename__ = "oauth_clients"
    __table_args__ = (
        CheckConstraint("client_type IN ('public', 'confidential')", name="client_type"),
        # A confidential client authenticates with its secret; a public one has none.
        CheckConstraint("(client_type = 'confidential') = (secret_hash IS NOT NULL)", name="secret_of_type"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(40), ForeignKey("accounts.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    client_type: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str | None] = mapped_column(String(64))
    secret_hint: Mapped[str | None] = mapped_column(String(8))
    redirect_uris: Mapped[list[str]] = mapped_column(ARRAY(Text))
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OAuthGrant(Base):
    """An account's authorization of a client: the family of the refresh tokens issued under it."""

    __tablename__ = "oauth_grants"
    __table_args__ = (Index("ix_oauth_grants_account_client", "account_id", "client_id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(40), ForeignKey("accounts.id"))
    # No foreign key: trickle-web is no row; a deleted client's grants are revoked with it.
    client_id: Mapped[str] = mapped_column(String(40), index=True)
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_used_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Why: signed_out, revoked_by_holder, code_replayed, refresh_token_reused, client_deleted, account_...
    revoked_reason: Mapped[str | None] = mapped_column(String(40))


class OAuthAuthorizationCode(Base):
    """A code the person approved: single-use, short-lived, bound to client, redirect URI and PKCE challenge."""

    __tablename__ = "oauth_authorization_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(40))
    account_id: Mapped[str] = mapped_column(String(40), ForeignKey("accounts.id"), index=True)
    redirect_uri: Mapped[str] = mapped_column(Text)
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    code_challenge: Mapped[str] = mapped_column(String(128))
    code_challenge_method: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The grant its exchange created: what a replay of the code revokes.
    grant_id: Mapped[str | None] = mapped_column(String(40), ForeignKey("oauth_grants.id"), index=True)


class OAuthRefreshToken(Base):
    """One refresh token of a grant. Using it rotates it (``rotated_at``); using it again revokes the grant."""

    __tablename__ = "oauth_refresh_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    grant_id: Mapped[str] = mapped_column(String(40), ForeignKey("oauth_grants.id"), index=True)
    client_id: Mapped[str] = mapped_column(String(40))
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    rotated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
