"""Builds the wallet's FastAPI app."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from trickle_events.topics import ALL_TOPICS
from trickle_kit.app import create_app
from trickle_kit.auth import TokenVerifier
from trickle_kit.operations.router import operations_router
from trickle_wallet.account_data.endpoints import router as account_data_router
from trickle_wallet.accounts.endpoints import router as accounts_router
from trickle_wallet.balances.endpoints import router as balances_router
from trickle_wallet.budgets.endpoints import router as budgets_router
from trickle_wallet.credentials import service as credentials
from trickle_wallet.credentials.endpoints import router as credentials_router
from trickle_wallet.deposits.endpoints import router as deposits_router
from trickle_wallet.models import load_all_models
from trickle_wallet.oauth.endpoints import router as oauth_router
from trickle_wallet.payouts.endpoints import router as payouts_router
from trickle_wallet.providers.endpoints import router as providers_router
from trickle_wallet.reconciliation.endpoints import router as reconciliation_router
from trickle_wallet.refunds.endpoints import router as refunds_router
from trickle_wallet.settings import Settings
from trickle_wallet.sign_in.endpoints import router as sign_in_router
from trickle_wallet.transfers.endpoints import router as transfers_router

JWKS_LOCAL_REFRESH_INTERVAL_S = 1.0


def local_verifier(app: FastAPI, settings: Settings) -> TokenVerifier:
    """Verifies the wallet's own tokens against its signing keys, read from its database (no HTTP hop)."""

    async def fetch_jwks() -> dict[str, Any]:
        async with app.state.sessions() as session, session.begin():
            return await credentials.jwks(session, settings)

    # An unknown kid (a key rotated by another replica) is looked up after at most a second;
    # never more often, or tokens with made-up kids would cost a database read each.
    return TokenVerifier(
        issuer=settings.token_issuer,
        audience=settings.token_audience,
        fetch_jwks=fetch_jwks,
        min_refresh_interval_s=JWKS_LOCAL_REFRESH_INTERVAL_S,
        cache_size=settings.token_cache_size,
    )


def build_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    load_all_models()

    async def install_verifier(app: FastAPI) -> None:
        # Tests may have put their own verifier in place (trickle_kit.testing_auth.TokenFactory).
        if getattr(app.state, "verifier", None) is None:
            app.state.verifier = local_verifier(app, settings)

    return create_app(
        settings,
        title="Trickle wallet",
        description=(
            "Accounts, credentials and tokens, deposits, budgets, transfers (tips), payouts, refunds and balances."
        ),
        routers=[
            accounts_router,
            account_data_router,
            sign_in_router,
            credentials_router,
            oauth_router,
            budgets_router,
            deposits_router,
            transfers_router,
            payouts_router,
            refunds_router,
            balances_router,
            providers_router,
            reconciliation_router,
            operations_router("wallet", topics=ALL_TOPICS),
        ],
        on_startup=[install_verifier],
    )


app = build_app()
