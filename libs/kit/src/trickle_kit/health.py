"""Liveness (/healthz) and readiness (/readyz: the database answers; Kafka is reported, not required)."""

from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from sqlalchemy import text

from trickle_kit.kafka import kafka_ready


class Health(BaseModel):
    model_config = ConfigDict(title="Health")

    status: Literal["ok", "unavailable"]
    checks: dict[str, bool] = {}


router = APIRouter(tags=["health"])


@router.get("/healthz", operation_id="get_liveness", response_model=Health)
async def healthz() -> Health:
    """The process is alive."""
    return Health(status="ok")


@router.get("/readyz", operation_id="get_readiness", response_model=Health, responses={503: {"model": Health}})
async def readyz(request: Request) -> JSONResponse:
    """Ready when the database answers ``SELECT 1``.

    ``checks.kafka`` says whether Kafka answers a metadata request, but does not make the
    process unready: the API writes events to the outbox, never to Kafka, so it keeps
    taking requests through a Kafka outage and the relay publishes them afterwards.
    """
    state = request.app.state

    async def db_ok() -> bool:
        try:
            async with state.engine.connect() as conn:
                await asyncio.wait_for(conn.execute(text("SELECT 1")), 3)
            return True
        except Exception:
            return False

    db, kafka = await asyncio.gather(db_ok(), kafka_ready(state.settings.kafka_bootstrap))
    checks = {"database": db, "kafka": kafka}
    ok = db
    body = Health(status="ok" if ok else "unavailable", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)
