"""Subscriptions: exactly one automatic click per subscription and period, whatever happens."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from trickle_click_ledger.models import Click, SubscriptionPeriod
from trickle_click_ledger.periods.lock import current_period_locked
from trickle_click_ledger.seal.service import seal_open_period
from trickle_click_ledger.subscriptions.service import grant_clicks, run_opening_job
from trickle_kit.envelope import utcnow
from trickle_kit.ids import new_id
from trickle_kit.testing_auth import TokenFactory

from ..support.apps import sessions_of
from ..support.ownership import prove_ownership


async def subscribe_many(client: httpx.AsyncClient, tokens: TokenFactory, n: int, periods: int = 3) -> list[str]:
    creator = new_id("acct")
    await prove_ownership(client, creator, f"https://subs.example/{creator}")
    thing = (
        await client.post(
            "/v1/things", json={"url": f"https://subs.example/{creator}"}, headers=tokens.headers(creator)
        )
    ).json()
    ids = []
    for _ in range(n):
        patron = new_id("acct")
        r = await client.post(
            "/v1/subscriptions", json={"thing_id": thing["id"], "periods": periods}, headers=tokens.headers(patron)
        )
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    return ids


async def auto_clicks(client: httpx.AsyncClient, subscription_ids: list[str], period: str) -> dict[str, int]:
    async with sessions_of(client)() as session:
        rows = await session.execute(
            select(Click.subscription_id, func.count())
            .where(Click.subscription_id.in_(subscription_ids), Click.period == period)
            .group_by(Click.subscription_id)
        )
        return {s: int(n) for s, n in rows.all()}


async def noted_clicks(client: httpx.AsyncClient, subscription_ids: list[str], period: str) -> dict[str, str | None]:
    """subscription → the click its ``subscription_periods`` row of ``period`` names (checked against the clicks)."""
    async with sessions_of(client)() as session:
        noted = dict(
            (
                await session.execute(
                    select(SubscriptionPeriod.subscription_id, SubscriptionPeriod.click_id).where(
                        SubscriptionPeriod.subscription_id.in_(subscription_ids), SubscriptionPeriod.period == period
                    )
                )
            ).all()
        )
        made = dict(
            (
                await session.execute(
                    select(Click.subscription_id, Click.id).where(
                        Click.subscription_id.in_(subscription_ids), Click.period == period
                    )
                )
            ).all()
        )
    assert noted == made, (noted, made)
    return noted


async def seal_without_opening_job(client: httpx.AsyncClient, settings: Any) -> str:
    """Seal through the service (the endpoint would also run the opening job right away)."""
    async with sessions_of(client)() as session, session.begin():
        outcome = await seal_open_period(
            session, partitions=settings.click_partitions, now=utcnow(), early=settings.demo_calendar
        )
    assert outcome is not None
    return outcome.next_period


async def test_subscribing_clicks_the_open_period_at_once(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    subs = await subscribe_many(client, tokens, 2)
    period = (await client.get("/v1/periods/current", headers=tokens.operator_headers())).json()["id"]
    assert await auto_clicks(client, subs, period) == {s: 1 for s in subs}
    assert set(await noted_clicks(client, subs, period)) == set(subs)


async def test_exactly_one_click_per_subscription_across_a_crash_and_two_workers(
    client: httpx.AsyncClient, tokens: TokenFactory, settings: Any
) -> None:
    subs = await subscribe_many(client, tokens, 40)
    sessions = sessions_of(client)
    opened = await seal_without_opening_job(client, settings)
    assert await auto_clicks(client, subs, opened) == {}

    # A worker dies in the middle of a batch: its transaction rolls back, nothing is recorded.
    with pytest.raises(RuntimeError):
        async with sessions() as session, session.begin():
            period = await current_period_locked(session, utcnow())
            assert await grant_clicks(session, period, partitions=6, limit=10, now=utcnow()) == 10
            raise RuntimeError("killed mid-opening")
    assert await auto_clicks(client, subs, opened) == {}
    # Another stops after one committed batch (a restart follows)…
    first = await run_opening_job(sessions, partitions=6, batch_size=7, max_batches=1)
    assert first == 7
    # …then two workers run the job at the same time, after the restart.
    results = await asyncio.gather(
        run_opening_job(sessions, partitions=6, batch_size=5), run_opening_job(sessions, partitions=6, batch_size=5)
    )
    assert await auto_clicks(client, subs, opened) == {s: 1 for s in subs}
    async with sessions() as session:
        guard_rows = (
            await session.execute(
                select(func.count()).select_from(SubscriptionPeriod).where(SubscriptionPeriod.period == opened)
            )
        ).scalar_one()
    # Each subscription was handled by exactly one run (earlier tests' subscriptions included).
    assert first + sum(results) == guard_rows >= len(subs)
    # Running it again does nothing more.
    assert await run_opening_job(sessions, partitions=6, batch_size=5) == 0
    assert await auto_clicks(client, subs, opened) == {s: 1 for s in subs}
    assert set(await noted_clicks(client, subs, opened)) == set(subs)


async def test_the_seal_gives_clicks_the_opening_job_has_not_given_yet(
    client: httpx.AsyncClient, tokens: TokenFactory, settings: Any
) -> None:
    subs = await subscribe_many(client, tokens, 3)
    opened = await seal_without_opening_job(client, settings)
    assert await auto_clicks(client, subs, opened) == {}
    # The operator seals again before any worker ran the opening job: the seal catches up first.
    sealed = await client.post("/v1/periods/current/seal", headers=tokens.operator_headers())
    assert sealed.json()["sealed"]["id"] == opened
    assert await auto_clicks(client, subs, opened) == {s: 1 for s in subs}


async def test_a_subscription_clicks_its_periods_only_and_stops_when_cancelled(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    three = await subscribe_many(client, tokens, 1, periods=3)
    cancelled = await subscribe_many(client, tokens, 1, periods=6)
    sub = (await client.get(f"/v1/subscriptions/{three[0]}", headers=tokens.operator_headers())).json()
    patron = (await client.get(f"/v1/subscriptions/{cancelled[0]}", headers=tokens.operator_headers())).json()
    assert sub["last_period"] > sub["first_period"]
    stop = await client.delete(f"/v1/subscriptions/{cancelled[0]}", headers=tokens.headers(patron["patron_id"]))
    assert stop.status_code == 200 and stop.json()["cancelled_at"] is not None
    periods = [sub["first_period"]]
    for _ in range(3):
        sealed = await client.post("/v1/periods/current/seal", headers=tokens.operator_headers())
        periods.append(sealed.json()["opened"])
    assert periods[2] == sub["last_period"]
    for period in periods[:3]:
        assert await auto_clicks(client, three, period) == {three[0]: 1}
    assert await auto_clicks(client, three, periods[3]) == {}
    assert await auto_clicks(client, cancelled, periods[1]) == {}
    mine = await client.get("/v1/clicks", params={"period": periods[1]}, headers=tokens.headers(sub["patron_id"]))
    assert [c["subscription_id"] for c in mine.json()["data"]] == [three[0]]


async def test_subscriptions_refuse_bad_input_and_self_subscription(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    creator = new_id("acct")
    await prove_ownership(client, creator, f"https://subs-own.example/{creator}")
    thing = (
        await client.post(
            "/v1/things", json={"url": f"https://subs-own.example/{creator}"}, headers=tokens.headers(creator)
        )
    ).json()
    own = await client.post(
        "/v1/subscriptions", json={"thing_id": thing["id"], "periods": 3}, headers=tokens.headers(creator)
    )
    assert own.status_code == 422 and own.json()["code"] == "self_click"
    bad = await client.post(
        "/v1/subscriptions", json={"thing_id": thing["id"], "periods": 4}, headers=tokens.headers(new_id("acct"))
    )
    assert bad.status_code == 422 and bad.json()["code"] == "validation_error"
    other = await client.get("/v1/subscriptions", headers=tokens.headers(creator))
    assert other.json()["data"] == []
