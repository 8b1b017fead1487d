"""A click is one trace: its clicks.click.registered event continues the trace of the request that made it,
also when a group-commit batch writes the clicks of many requests at once."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import httpx
from sqlalchemy import select

from trickle_click_ledger.settings import Settings
from trickle_kit.ids import new_id
from trickle_kit.tables import OutboxRecord
from trickle_kit.testing_auth import TokenFactory
from trickle_kit.testing_traces import collecting_spans

from ..support.apps import sessions_of
from ..support.things import register


async def test_each_click_of_a_shared_batch_carries_its_own_request_s_trace(
    settings: Settings,
    tokens: TokenFactory,
    make_client: Callable[[Settings], AbstractAsyncContextManager[httpx.AsyncClient]],
) -> None:
    with collecting_spans() as spans:
        async with make_client(settings) as client:  # built while tracing: the app has its server spans
            creator = new_id("acct")
            thing = (await register(client, tokens, creator, f"https://traced.example/{creator}"))["id"]
            batcher: Any = client.app.state.click_batcher  # type: ignore[attr-defined]
            batches_before = batcher.batches
            # Each request arrives with the trace of its caller (a browser, the gateway): one per request.
            traces = {new_id("acct"): os.urandom(16).hex() for _ in range(20)}

            def post(patron: str) -> Any:
                caller = f"00-{traces[patron]}-{os.urandom(8).hex()}-01"
                headers = {**tokens.headers(patron), "traceparent": caller}
                return client.post("/v1/clicks", json={"thing_id": thing}, headers=headers)

            answers = await asyncio.gather(*(post(patron) for patron in traces))
            assert [r.status_code for r in answers] == [201] * len(traces)
            assert batcher.batches - batches_before < len(traces)  # some requests shared a batch
            async with sessions_of(client)() as session:
                rows = (
                    await session.execute(
                        select(OutboxRecord).where(OutboxRecord.subject.in_([r.json()["id"] for r in answers]))
                    )
                ).scalars()
                staged = {r.payload["patron_id"]: r.traceparent for r in rows}
    assert set(staged) == set(traces)
    for patron, trace in traces.items():
        traceparent = staged[patron]
        assert traceparent is not None and traceparent.split("-")[1] == trace, patron
        # The event names the request's server span, which continued the caller's trace.
        (server,) = [
            s
            for s in spans.in_trace(int(trace, 16))
            if s.context is not None and format(s.context.span_id, "016x") == traceparent.split("-")[2]
        ]
        assert server.name == "POST /v1/clicks"
