"""A rate-limited request costs no database work: the limit is checked before any session or
query, even for a token whose key id makes the verifier want to look the JWKS up (the wallet's
verifier reads its keys from its database)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from fastapi import APIRouter, Request
from sqlalchemy import event, text

from trickle_kit.app import create_app
from trickle_kit.auth import TokenVerifier, mint_token
from trickle_kit.settings import KitSettings
from trickle_kit.testing_auth import TokenFactory

router = APIRouter()


@router.get("/v1/things")
async def list_things(request: Request) -> dict[str, int]:
    async with request.app.state.sessions() as session:
        return {"one": int((await session.execute(text("SELECT 1"))).scalar_one())}


async def test_requests_over_the_limit_open_no_connection_and_run_no_query(database_url: str) -> None:
    tf = TokenFactory()
    settings = KitSettings(log_json=False, database_url=database_url, rate_limit="3/minute", db_pool_size=2)
    app = create_app(settings, title="t", routers=[router])

    async def jwks_from_database() -> dict[str, Any]:  # as the wallet's own verifier does
        async with app.state.sessions() as session:
            await session.execute(text("SELECT 1"))
        return tf.jwks()

    app.state.verifier = TokenVerifier(
        issuer=tf.issuer, audience=tf.audience, fetch_jwks=jwks_from_database, min_refresh_interval_s=0
    )
    made_up_kid = mint_token(
        tf.private_pem,
        f"made-up-{uuid.uuid4().hex}",
        subject="acct_x",
        scopes=["clicks:read"],
        issuer=tf.issuer,
        audience=tf.audience,
    )
    async with app.router.lifespan_context(app):
        work = {"queries": 0, "checkouts": 0}

        def on_query(*_: Any) -> None:
            work["queries"] += 1

        def on_checkout(*_: Any) -> None:
            work["checkouts"] += 1

        sync_engine = app.state.engine.sync_engine
        event.listen(sync_engine, "before_cursor_execute", on_query)
        event.listen(sync_engine.pool, "checkout", on_checkout)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            for _ in range(3):  # the address's whole budget, each with its database work
                assert (await c.get("/v1/things")).status_code == 200
            assert work["queries"] >= 3 and work["checkouts"] >= 3
            work.update(queries=0, checkouts=0)
            over = []
            for _ in range(5):
                over.append(await c.get("/v1/things"))
                over.append(await c.get("/v1/things", headers={"Authorization": f"Bearer {made_up_kid}"}))
                over.append(await c.get("/v1/things", headers=tf.forged_headers("acct_y")))
                over.append(await c.get("/v1/things", headers={"Authorization": "Bearer not-a-jwt"}))
        assert [r.status_code for r in over] == [429] * len(over)
        assert work == {"queries": 0, "checkouts": 0}
