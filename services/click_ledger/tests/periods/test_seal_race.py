"""Clicks racing with seals: every click lands in exactly one period, and each partition's seal
marker follows that partition's last click of the period and counts exactly its clicks."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter, defaultdict
from typing import Any

import httpx
from sqlalchemy import select

from trickle_click_ledger.clicks.partitioning import partition_for
from trickle_click_ledger.models import Click
from trickle_kit.ids import new_id
from trickle_kit.kafka import ensure_topics
from trickle_kit.outbox import pending_count
from trickle_kit.relay import OutboxRelay
from trickle_kit.testing import KAFKA, wait_until
from trickle_kit.testing_auth import TokenFactory

from ..support.apps import sessions_of
from ..support.kafka import Record, read_all
from ..support.ownership import prove_ownership

CLICKS = 200
PATRONS = 25
THINGS = 8
# Clicks in flight at once: enough that they are written in group-commit batches, few enough
# that the stream of clicks is still going when each seal starts.
IN_FLIGHT = 12


async def publish_everything(client: httpx.AsyncClient, settings: Any) -> None:
    app = client.app  # type: ignore[attr-defined]
    relay = OutboxRelay(app.state.engine, bootstrap=KAFKA, topic_prefix=settings.topic_prefix, name="test-relay")
    stop = asyncio.Event()
    task = asyncio.create_task(relay.run(stop))

    async def drained() -> bool:
        async with app.state.sessions() as session:
            return await pending_count(session) == 0

    try:
        await wait_until(drained, timeout_s=60)
    finally:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 60)


async def test_two_hundred_clicks_racing_with_seals(
    client: httpx.AsyncClient, tokens: TokenFactory, settings: Any, make_client: Any
) -> None:
    partitions = settings.click_partitions
    await ensure_topics(KAFKA, [settings.topic("clicks")], partitions)
    creators = [new_id("acct") for _ in range(2)]
    things = []
    for i in range(THINGS):
        owner = creators[i % 2]
        await prove_ownership(client, owner, f"https://race.example/{owner}/{i}")
        r = await client.post(
            "/v1/things",
            json={"url": f"https://race.example/{owner}/{i}", "weight": i + 1},
            headers=tokens.headers(owner),
        )
        things.append(r.json()["id"])
    patrons = [new_id("acct") for _ in range(PATRONS)]
    pairs = [(patrons[i % PATRONS], things[i // PATRONS % THINGS]) for i in range(CLICKS)]
    assert len(set(pairs)) == CLICKS

    done = 0
    seal_points = {40: asyncio.Event(), 110: asyncio.Event()}
    in_flight = asyncio.Semaphore(IN_FLIGHT)

    async def click(patron: str, thing: str) -> httpx.Response:
        nonlocal done
        async with in_flight:
            response = await client.post("/v1/clicks", json={"thing_id": thing}, headers=tokens.headers(patron))
        done += 1
        if done in seal_points:
            seal_points[done].set()
        return response

    # The operator's seals go through another API replica (its own connection pool), as in
    # production; through the clicks' pool they would queue behind every waiting click.
    async with make_client(settings) as operator_client:

        async def seal_when(event: asyncio.Event) -> httpx.Response:
            await event.wait()
            return await operator_client.post("/v1/periods/current/seal", headers=tokens.operator_headers())

        results = await asyncio.gather(*(click(p, t) for p, t in pairs), *(seal_when(e) for e in seal_points.values()))
    clicks, seals = results[:CLICKS], results[CLICKS:]
    batcher = client.app.state.click_batcher  # type: ignore[attr-defined]
    # Group commit raced the seals: most clicks went in shared batches. Not necessarily all: a batch that
    # fails (a busy machine's lock wait, say) sends its clicks down the one-click path, which is the
    # design; every click is then checked below, whichever path wrote it.
    assert batcher.batches < batcher.written <= CLICKS and batcher.written >= CLICKS // 2
    assert all(r.status_code == 201 for r in clicks), [r.text for r in clicks if r.status_code != 201][:3]
    assert all(s.status_code == 200 for s in seals), [s.text for s in seals]
    # Revoke a few clicks of the open period, then seal it too: the markers count revocations.
    revocable = []
    for _ in range(5):
        patron = new_id("acct")
        made = await client.post("/v1/clicks", json={"thing_id": things[0]}, headers=tokens.headers(patron))
        revocable.append(made)
        revoke = await client.delete(f"/v1/clicks/{made.json()['id']}", headers=tokens.headers(patron))
        assert revoke.status_code == 200
    clicks = [*clicks, *revocable]
    last = await client.post("/v1/periods/current/seal", headers=tokens.operator_headers())
    seals.append(last)
    sealed_periods = [s.json()["sealed"]["id"] for s in seals]
    assert len(set(sealed_periods)) == 3

    await publish_everything(client, settings)
    records = await read_all(settings.topic("clicks"), partitions)

    # Every click of the test is on Kafka exactly once, in the period its response named, on its patron's partition.
    by_click: dict[str, list[Record]] = defaultdict(list)
    for rec in records:
        if rec.type == "clicks.click.registered":
            by_click[rec.data["click_id"]].append(rec)
    async with sessions_of(client)() as session:
        rows = {c.id: c for c in (await session.execute(select(Click))).scalars()}
    for response in clicks:
        body = response.json()
        seen = by_click[body["id"]]
        assert len(seen) == 1, body["id"]
        assert seen[0].data["period"] == body["period"] == rows[body["id"]].period
        assert body["period"] in sealed_periods
        assert seen[0].partition == partition_for(body["patron_id"], partitions) == rows[body["id"]].partition
    # The seals really raced the clicks: the test's clicks are spread over several periods.
    spread = Counter(r.json()["period"] for r in clicks[:CLICKS])
    print("clicks per period during the race:", dict(spread))
    assert len(spread) >= 2

    # One marker per sealed period on every partition, after that period's last click there,
    # counting exactly the click and revoke records before it; none of the period after it.
    for seal, period in zip(seals, sealed_periods, strict=True):
        expected = {pc["partition"]: pc for pc in seal.json()["partitions"]}
        for p in range(partitions):
            on_p = sorted((r for r in records if r.partition == p), key=lambda r: r.offset)
            markers = [r for r in on_p if r.type == "clicks.period.sealed" and r.data["period"] == period]
            assert len(markers) == 1, (period, p, markers)
            marker = markers[0]
            assert marker.data["partition"] == p and marker.data["partitions"] == partitions
            before = [r for r in on_p if r.offset < marker.offset and r.data.get("period") == period]
            after = [r for r in on_p if r.offset > marker.offset and r.data.get("period") == period]
            registered = sum(r.type == "clicks.click.registered" for r in before)
            revoked = sum(r.type == "clicks.click.revoked" for r in before)
            assert marker.data["click_count"] == registered == expected[p]["click_count"]
            assert marker.data["revoked_count"] == revoked == expected[p]["revoked_count"]
            assert not [r for r in after if r.type.startswith("clicks.click.")], (period, p)
        in_db = [c for c in rows.values() if c.period == period]
        assert sum(pc["click_count"] for pc in expected.values()) == len(in_db)
    assert sum(pc["revoked_count"] for pc in last.json()["partitions"]) == len(revocable) == 5
