"""Builds the settlement's FastAPI app."""

from __future__ import annotations

from fastapi import FastAPI

from trickle_events.topics import ALL_TOPICS
from trickle_kit.app import create_app
from trickle_kit.operations.router import operations_router
from trickle_settlement.close.endpoints import router as periods_router
from trickle_settlement.settings import Settings
from trickle_settlement.statements.endpoints import router as ledger_router


def build_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    return create_app(
        settings,
        title="Trickle settlement",
        description="The book of record: double-entry ledger, statements, trial balance and the monthly split.",
        routers=[ledger_router, periods_router, operations_router("settlement", topics=ALL_TOPICS)],
    )


app = build_app()
