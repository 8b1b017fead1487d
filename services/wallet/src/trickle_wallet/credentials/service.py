"""API keys, the client-credentials grant, and the signing keys behind access tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit.auth import ACCOUNT_SCOPES, OPERATOR, SCOPES, Principal, generate_private_pem, mint_token, public_jwk
from trickle_kit.envelope import utcnow
from trickle_kit.ids import new_id
from trickle_kit.problems import ProblemError, not_found
from trickle_wallet.credentials import repository
from trickle_wallet.credentials.models import ApiKey, SigningKey
from trickle_wallet.settings import Settings

SECRET_PREFIX = "tks_"
# Retired keys stay published a little longer than the tokens they signed can live.
PUBLISH_MARGIN = timedelta(seconds=60)


def hash_secret(secret: str) -> str:
    """sha256 hex: the secrets are 32 random bytes, so a fast hash is enough (no dictionary to attack)."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewApiKey:
    key: ApiKey
    secret: str


async def create_api_key(
    session: AsyncSession, account_id: str, *, name: str, scopes: Sequence[str] | None, granted_by: Principal | None
) -> NewApiKey:
    """A key for ``account_id``. A caller can only hand out scopes its own token carries."""
    if granted_by is not None and not granted_by.is_operator:
        held = granted_by.scopes
        if scopes is not None:
            missing = sorted(set(scopes) - held)
            if missing:
                raise ProblemError(
                    403,
                    "scope_escalation",
                    "Forbidden",
                    f"A key cannot get scopes your token lacks: {' '.join(missing)}",
                )
        else:
            scopes = [s for s in ACCOUNT_SCOPES if s in held]
    chosen = list(dict.fromkeys(scopes if scopes is not None else ACCOUNT_SCOPES))
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(
        id=new_id("key"),
        account_id=account_id,
        name=name,
        secret_hash=hash_secret(secret),
        secret_hint=secret[-4:],
        scopes=chosen,
        created_at=utcnow(),
    )
    session.add(key)
    await session.flush()
    return NewApiKey(key=key, secret=secret)


async def revoke_api_key(session: AsyncSession, account_id: str, key_id: str) -> ApiKey:
    key = await repository.get_api_key(session, key_id, for_update=True)
    if key is None or key.account_id != account_id:
        raise not_found("API key", key_id)
    if key.revoked_at is None:
        key.revoked_at = utcnow()
    return key


# ---- the token endpoint ----


def invalid_client(detail: str = "Unknown client or wrong secret") -> ProblemError:
    return ProblemError(
        401,
        "invalid_client",
        "Client authentication failed",
        detail,
        headers={"WWW-Authenticate": 'Basic realm="trickle"'},
    )


def _requested_scopes(scope: str | None) -> list[str] | None:
    if scope is None or not scope.strip():
        return None
    requested = list(dict.fromkeys(scope.split()))
    unknown = [s for s in requested if s not in SCOPES]
    if unknown:
        raise ProblemError(400, "invalid_scope", "Invalid scope", f"Unknown scope(s): {' '.join(unknown)}")
    return requested


def _narrow(allowed: Sequence[str], requested: list[str] | None) -> list[str]:
    if requested is None:
        return list(allowed)
    if OPERATOR in allowed:
        # The operator scope satisfies every scope: an operator may ask for a narrower token.
        return requested
    excess = [s for s in requested if s not in allowed]
    if excess:
        raise ProblemError(400, "invalid_scope", "Invalid scope", f"This client may not request: {' '.join(excess)}")
    return requested


async def issue_token(
    session: AsyncSession, settings: Settings, *, client_id: str, client_secret: str, scope: str | None
) -> tuple[str, list[str]]:
    """Exchange client credentials for a signed access token; returns (token, scopes)."""
    requested = _requested_scopes(scope)
    if hmac.compare_digest(client_id.encode(), settings.operator_client_id.encode()):
        if not hmac.compare_digest(client_secret.encode(), settings.operator_client_secret.encode()):
            raise invalid_client()
        scopes = _narrow([OPERATOR], requested)
        subject, account_id = settings.operator_client_id, None
    else:
        key = await repository.get_api_key(session, client_id) if len(client_id) <= 40 else None
        # Compare even when the key is unknown, so timing does not tell which client ids exist.
        expected = key.secret_hash if key is not None else "0" * 64
        if not hmac.compare_digest(hash_secret(client_secret), expected) or key is None:
            raise invalid_client()
        if key.revoked_at is not None:
            raise invalid_client("This API key was revoked")
        scopes = _narrow(key.scopes, requested)
        subject, account_id = key.account_id, key.account_id
    signing = await active_signing_key(session)
    token = mint_token(
        signing.private_pem,
        signing.kid,
        subject=subject,
        scopes=scopes,
        issuer=settings.token_issuer,
        audience=settings.token_audience,
        ttl_s=settings.access_token_ttl_s,
        account_id=account_id,
    )
    return token, scopes


# ---- signing keys ----


def _new_signing_key(now: datetime) -> SigningKey:
    return SigningKey(kid=f"wallet-{uuid.uuid4().hex[:16]}", private_pem=generate_private_pem(), created_at=now)


async def active_signing_key(session: AsyncSession) -> SigningKey:
    """The key new tokens are signed with; created on first use (one per database, whatever the replicas)."""
    key = await repository.active_signing_key(session)
    if key is not None:
        return key
    await repository.lock_signing_keys(session)
    key = await repository.active_signing_key(session)
    if key is None:
        key = _new_signing_key(utcnow())
        session.add(key)
        await session.flush()
    return key


async def rotate_signing_key(session: AsyncSession) -> tuple[SigningKey, SigningKey | None]:
    """Retire the active key and make a new one; the old one stays published while its tokens live."""
    await repository.lock_signing_keys(session)
    now = utcnow()
    old = await repository.active_signing_key(session)
    if old is not None:
        old.retired_at = now
        await session.flush()
    new = _new_signing_key(now)
    session.add(new)
    await session.flush()
    return new, old


_JWK_CACHE: dict[str, dict[str, Any]] = {}


def _jwk(key: SigningKey) -> dict[str, Any]:
    # A kid never changes its key: derive the public half once per process.
    jwk = _JWK_CACHE.get(key.kid)
    if jwk is None:
        jwk = _JWK_CACHE[key.kid] = public_jwk(key.private_pem, key.kid)
    return jwk


async def jwks(session: AsyncSession, settings: Settings) -> dict[str, Any]:
    """The JWKS document: the active key (created if none yet) and keys retired too recently to drop."""
    await active_signing_key(session)
    since = utcnow() - timedelta(seconds=settings.access_token_ttl_s) - PUBLISH_MARGIN
    return {"keys": [_jwk(k) for k in await repository.published_signing_keys(session, since)]}
