"""Tokens with made-up key ids cost the wallet at most one read of its signing keys per
interval, not one each (its verifier reads the JWKS from its own database)."""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
from fastapi import FastAPI

from trickle_kit.auth import generate_private_pem, mint_token
from trickle_wallet.app import JWKS_LOCAL_REFRESH_INTERVAL_S


async def test_a_flood_of_made_up_kids_reads_the_signing_keys_once(app: FastAPI, client: httpx.AsyncClient) -> None:
    settings = app.state.settings
    pem = generate_private_pem()

    def made_up() -> dict[str, str]:
        token = mint_token(
            pem,
            f"made-up-{uuid.uuid4().hex}",
            subject="acct_x",
            scopes=["accounts:read"],
            issuer=settings.token_issuer,
            audience=settings.token_audience,
            account_id="acct_x",
        )
        return {"Authorization": f"Bearer {token}"}

    verifier = app.state.verifier
    before = verifier.refreshes
    started = time.monotonic()
    answers = await asyncio.gather(*(client.get("/v1/accounts/acct_x", headers=made_up()) for _ in range(60)))
    for _ in range(3):  # one after another, too
        answers.append(await client.get("/v1/accounts/acct_x", headers=made_up()))
    elapsed = time.monotonic() - started
    assert {r.status_code for r in answers} == {401}
    reads = verifier.refreshes - before
    assert 1 <= reads <= 1 + elapsed / JWKS_LOCAL_REFRESH_INTERVAL_S, (reads, elapsed)
