"""The delivery worker killed mid-batch (SIGKILL) and restarted: every message delivered, none lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from typing import Any

import httpx
from sqlalchemy import func, select, text

from trickle_kit.db import make_engine, make_sessionmaker
from trickle_kit.ids import new_id
from trickle_kit.testing import wait_until
from trickle_kit.testing_auth import TokenFactory

from ..support.delivery import account_updated, create_endpoint
from ..support.receiver import Answer, Hold, Receiver

N = 60
HELD_AFTER = 10  # the receiver answers this many requests, then holds the rest open until released


def _start_worker(settings: Any) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TRICKLE_WEBHOOK_DATABASE_URL": settings.database_url,
        "TRICKLE_TOPIC_PREFIX": settings.topic_prefix,
        "TRICKLE_WEBHOOK_SSRF_ALLOW": json.dumps(settings.ssrf_allow),
        "TRICKLE_WEBHOOK_RETRY_SCHEDULE_S": "[0, 0.3, 0.3, 0.3]",
        "TRICKLE_WEBHOOK_ATTEMPT_TIMEOUT_S": "5",
        "TRICKLE_WEBHOOK_LEASE_MARGIN_S": "1",
        "TRICKLE_WEBHOOK_POLL_INTERVAL_S": "0.05",
        "TRICKLE_WEBHOOK_ENDPOINT_CONCURRENCY": "8",
        "TRICKLE_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "trickle_webhook.worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


async def test_a_killed_worker_loses_no_message(
    client: httpx.AsyncClient, tokens: TokenFactory, receiver: Receiver, publisher: Any, settings: Any
) -> None:
    from trickle_webhook.messages.models import WebhookMessage

    engine = make_engine(settings.database_url, application_name="webhook-crash-test", pool_size=2)
    sessions = make_sessionmaker(engine)
    async with sessions() as session, session.begin():
        await session.execute(text("DELETE FROM webhook_endpoints"))
    account = new_id("acct")
    name = f"crash-{account}"
    hold = Hold()
    receiver.script(name, lambda d, n: Answer() if n < HELD_AFTER else Answer(hold=hold))
    endpoint = await create_endpoint(client, tokens, account, receiver.url(name))
    for i in range(N):
        await publisher.publish(account_updated(account, f"n{i}"))

    worker = _start_worker(settings)
    try:
        # Killed mid-way: some messages answered, others sent and not answered (their outcome unknown).
        await wait_until(lambda: _count(receiver, name, HELD_AFTER + 1))
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=60)
        at_kill = {d.headers["webhook-id"] for d in receiver.deliveries(name)}
        assert receiver.in_flight(name) > 0 and len(at_kill) < N
        hold.release()

        async def succeeded() -> int:
            async with sessions() as session:
                stmt = select(func.count()).where(
                    WebhookMessage.endpoint_id == endpoint["id"], WebhookMessage.status == "succeeded"
                )
                return int((await session.execute(stmt)).scalar_one())

        worker = _start_worker(settings)
        await wait_until(lambda: _eq(succeeded(), N), timeout_s=120)
    finally:
        hold.release()
        # A clean stop leaves the consumer group at once, so the next test's consumer is not
        # kept waiting for the dead member's session to time out.
        worker.terminate()
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=60)
    async with sessions() as session:
        ids = set(
            (await session.execute(select(WebhookMessage.id).where(WebhookMessage.endpoint_id == endpoint["id"])))
            .scalars()
            .all()
        )
    await engine.dispose()
    delivered = {d.headers["webhook-id"] for d in receiver.deliveries(name)}
    assert len(ids) == N
    assert ids <= delivered


async def _count(receiver: Receiver, name: str, at_least: int) -> bool:
    return len(receiver.deliveries(name)) >= at_least


async def _eq(value: Any, expected: int) -> bool:
    return bool(await value == expected)
