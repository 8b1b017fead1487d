"""Builds the wallet's FastAPI app."""

from __future__ import annotations

from fastapi import FastAPI

from trickle_kit.app import create_app
from trickle_wallet.settings import Settings


def build_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    return create_app(
        settings,
        title="Trickle wallet",
        description="Accounts, credentials and tokens, deposits, budgets, transfers (tips), payouts and balances.",
        routers=[],
    )


app = build_app()
