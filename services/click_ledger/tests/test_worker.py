"""The worker's own tasks: the click topic check and the period scheduler."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
from aiokafka.admin import AIOKafkaAdminClient

from trickle_click_ledger.consumers import click_topic_check, scheduler
from trickle_click_ledger.periods.calendar import ends_at, next_period
from trickle_kit.testing import KAFKA, unique_prefix
from trickle_kit.testing_auth import TokenFactory

from .support.apps import sessions_of


async def test_the_click_topic_is_created_with_the_configured_partitions(settings: Any) -> None:
    mine = settings.model_copy(update={"topic_prefix": unique_prefix("clk-topic"), "click_partitions": 6})
    await click_topic_check(mine)(asyncio.Event())
    admin = AIOKafkaAdminClient(bootstrap_servers=KAFKA)
    await admin.start()
    try:
        described = await admin.describe_topics([mine.topic("clicks")])
    finally:
        await admin.close()
    assert len(described[0]["partitions"]) == 6


async def test_the_scheduler_seals_the_open_period_when_its_month_ends(
    client: httpx.AsyncClient, tokens: TokenFactory, settings: Any
) -> None:
    before = (await client.get("/v1/periods/current", headers=tokens.operator_headers())).json()
    end = ends_at(before["id"])
    task = scheduler(settings, sessions_of(client))

    assert await task.tick(now=end - timedelta(seconds=1)) is None
    still = (await client.get("/v1/periods/current", headers=tokens.operator_headers())).json()
    assert still["id"] == before["id"]

    outcome = await task.tick(now=end)
    assert outcome is not None and outcome.period == before["id"]
    after = (await client.get("/v1/periods/current", headers=tokens.operator_headers())).json()
    assert after["id"] == outcome.next_period == next_period(before["id"])
    assert task.ticks == 2
