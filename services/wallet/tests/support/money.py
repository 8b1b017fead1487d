"""What the money-flow tests (deposits, transfers, payouts, balances, providers) build on.

A scripted ledger that writes ``ledger.*`` events onto the test's Kafka topic, the wallet's real
worker tasks (outbox relay, ledger consumer, deposit sweeper, payout dispatcher) and small
request helpers. The fixtures made of them (``workers``, ``sandbox``, ``live``) are in
``tests/conftest.py``.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaProducer
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_events.base import Event
from trickle_events.topics import LEDGER, WALLET
from trickle_kit.db import make_engine, make_sessionmaker
from trickle_kit.envelope import Envelope, utcnow
from trickle_kit.ids import new_id
from trickle_kit.kafka import ensure_topics
from trickle_kit.relay import OutboxRelay
from trickle_kit.testing import EVENTUAL_S, KAFKA, read_topic, wait_until
from trickle_wallet.providers.sandbox import SandboxProvider, asgi_deliver

EUR = "EUR"


def eur(amount: int) -> dict[str, Any]:
    return {"amount": amount, "currency": EUR}


@dataclass
class AppTarget:
    """Where the worker's sandbox provider delivers callbacks: the current test's app."""

    app: FastAPI | None = None

    async def deliver(self, path: str, headers: dict[str, str], body: bytes) -> int:
        assert self.app is not None, "no app to deliver the callback to"
        return await asgi_deliver(self.app)(path, headers, body)


@dataclass
class Workers:
    sessions: async_sessionmaker[AsyncSession]
    topic_prefix: str
    target: AppTarget
    provider: SandboxProvider
    producer: AIOKafkaProducer
    published: list[str] = field(default_factory=list)

    async def ledger_says(self, *events: Event) -> None:
        """Publish what the ledger would answer, as CloudEvents on the test's ledger topic."""
        for event in events:
            env = Envelope(
                id=new_id("evt"),
                type=event.event_type,
                source="trickle-settlement-script",
                time=utcnow(),
                data=event.model_dump(mode="json"),
                subject=event.subject(),
            )
            key = event.partition_key()
            await self.producer.send_and_wait(
                self.topic_prefix + LEDGER, value=env.value(), key=key.encode() if key else None, headers=env.headers()
            )
            self.published.append(env.id)

    async def wallet_events(self, until: Callable[[list[Envelope]], bool], settle_s: float = 0.0) -> list[Envelope]:
        return await read_topic(self.topic_prefix + WALLET, until=until, settle_s=settle_s)


@asynccontextmanager
async def running_workers(database_url: str, topic_prefix: str) -> AsyncIterator[Workers]:
    """The wallet's worker tasks (relay, consumers, sweeper, dispatcher) with a sandbox calling back into ``target``."""
    from trickle_wallet.consumers import consumers
    from trickle_wallet.settings import Settings

    settings = Settings(
        database_url=database_url,
        topic_prefix=topic_prefix,
        log_json=False,
        db_pool_size=3,
        deposit_sweep_interval_s=0.2,
        payout_dispatch_interval_s=0.1,
    )
    await ensure_topics(KAFKA, [topic_prefix + LEDGER, topic_prefix + WALLET])
    engine = make_engine(database_url, application_name="wallet-money-tests", pool_size=3)
    sessions = make_sessionmaker(engine)
    target = AppTarget()
    provider = SandboxProvider(secret=settings.sandbox_callback_secret, deliver=target.deliver, delay_s=0.0)
    relay = OutboxRelay(engine, bootstrap=KAFKA, topic_prefix=topic_prefix, name="wallet-money-relay")
    runnables = [relay.run, *consumers(settings, engine, sessions, provider=provider)]
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA, acks="all")
    await producer.start()
    stop = asyncio.Event()
    tasks = [asyncio.create_task(r(stop)) for r in runnables]
    try:
        yield Workers(sessions, topic_prefix, target, provider, producer)
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), EVENTUAL_S)
        await provider.aclose()
        await producer.stop()
        await engine.dispose()


async def poll_status(
    client: Any, path: str, headers: dict[str, str], status: str, timeout_s: float = EVENTUAL_S
) -> Any:
    """GET ``path`` until its status is ``status``; returns the body."""
    seen: dict[str, Any] = {}

    async def check() -> bool:
        r = await client.get(path, headers=headers)
        assert r.status_code == 200, r.text
        seen.update(r.json())
        return bool(seen["status"] == status)

    await wait_until(check, timeout_s=timeout_s)
    return seen


def unique_key() -> str:
    return uuid.uuid4().hex


async def give_wallet_balance(app: FastAPI, account_id: str, amount: int) -> None:
    """The ledger reported ``amount`` on the account's wallet (the read model, as ``ledger.entry.posted`` leaves it)."""
    from trickle_events.ledger_accounts import LedgerAccountKind
    from trickle_wallet.balances.models import BalanceLine

    async with app.state.sessions() as session, session.begin():
        session.add(
            BalanceLine(
                account_id=account_id,
                kind=LedgerAccountKind.PATRON_WALLET.value,
                currency=EUR,
                balance=amount,
                entry_id=f"je_test_{account_id}",
                sequence=None,
                posted_at=utcnow(),
            )
        )
