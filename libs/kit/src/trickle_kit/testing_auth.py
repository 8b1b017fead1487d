"""Tokens for tests: a throw-away signing key, a verifier that trusts it, and bad tokens for the auth matrix."""

from __future__ import annotations

import time
import uuid

from trickle_kit.auth import ACCOUNT_SCOPES, OPERATOR, TokenVerifier, generate_private_pem, mint_token, public_jwk

ISSUER = "trickle-wallet"
AUDIENCE = "trickle"


class TokenFactory:
    """Mints tokens with its own key; ``verifier()`` goes on ``app.state.verifier``."""

    def __init__(self, issuer: str = ISSUER, audience: str = AUDIENCE) -> None:
        self.issuer = issuer
        self.audience = audience
        self.kid = f"test-{uuid.uuid4().hex[:8]}"
        self.private_pem = generate_private_pem()

    def jwks(self) -> dict[str, list[dict[str, object]]]:
        return {"keys": [public_jwk(self.private_pem, self.kid)]}

    def verifier(self) -> TokenVerifier:
        return TokenVerifier(issuer=self.issuer, audience=self.audience, static_jwks=self.jwks())

    def token(
        self,
        account_id: str | None,
        scopes: list[str] | tuple[str, ...] = ACCOUNT_SCOPES,
        *,
        ttl_s: int = 600,
        now: float | None = None,
    ) -> str:
        subject = account_id or "operator"
        return mint_token(
            self.private_pem,
            self.kid,
            subject=subject,
            scopes=scopes,
            issuer=self.issuer,
            audience=self.audience,
            ttl_s=ttl_s,
            account_id=account_id,
            now=now,
        )

    def headers(self, account_id: str | None, scopes: list[str] | tuple[str, ...] = ACCOUNT_SCOPES) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(account_id, scopes)}"}

    def operator_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(None, [OPERATOR])}"}

    def expired_headers(self, account_id: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(account_id, now=time.time() - 3600, ttl_s=60)}"}

    def forged_headers(self, account_id: str) -> dict[str, str]:
        """Same kid, different key: the signature does not verify."""
        other = generate_private_pem()
        token = mint_token(
            other,
            self.kid,
            subject=account_id,
            scopes=ACCOUNT_SCOPES,
            issuer=self.issuer,
            audience=self.audience,
            account_id=account_id,
        )
        return {"Authorization": f"Bearer {token}"}
