"""A patron's unspent wallet goes back through the provider, across services: the wallet asks, settlement reserves
(wallet → payouts in transit), the sandbox pays it back, settlement settles with the provider's clearing account and
the wallet's balances follow; a failed refund is released to the wallet; a lost callback is finished by the
reconciler. Real PostgreSQL and Kafka; the wallet's app and worker tasks and settlement's worker run in this process.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from tests.support.traces import Databases, running, service_databases, settlement_worker, topics_ready
from trickle_kit.db import make_engine, make_sessionmaker
from trickle_kit.envelope import utcnow
from trickle_kit.relay import OutboxRelay
from trickle_kit.testing import KAFKA, wait_until

OPERATOR_SECRET = "refund-operator-secret"
CARD_2500 = (2_500, 80, 2_420)  # gross, fee (30 ct + 2 %), net credited to the wallet


@dataclass
class World:
    dbs: Databases
    client: httpx.AsyncClient
    operator: dict[str, str]

    async def patron_with_deposit(self) -> tuple[str, dict[str, str]]:
        """A registered patron whose card deposit of 25.00 reached their wallet (24.20 net)."""
        registered = await self.client.post(
            "/v1/accounts", json={"display_name": "Ada", "email": f"ada-{os.urandom(4).hex()}@example.org"}
        )
        assert registered.status_code == 201, registered.text
        key, account_id = registered.json()["api_key"], registered.json()["account"]["id"]
        headers = await self.token(key["id"], key["secret"])
        r = await self.client.post(
            "/v1/deposits",
            json={"method": "card", "amount": {"amount": CARD_2500[0], "currency": "EUR"}},
            headers={**headers, "Idempotency-Key": os.urandom(8).hex()},
        )
        assert r.status_code == 202, r.text
        await self.balances_are(account_id, headers, wallet=CARD_2500[2], reserved=0)
        return account_id, headers

    async def token(self, client_id: str, secret: str) -> dict[str, str]:
        r = await self.client.post(
            "/v1/oauth/token",
            data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
        )
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['access_token']}"}

    async def balances_are(self, account_id: str, headers: dict[str, str], *, wallet: int, reserved: int) -> None:
        async def projected() -> bool:
            r = await self.client.get(f"/v1/accounts/{account_id}/balances", headers=headers)
            body = r.json()
            return r.status_code == 200 and (body["wallet"]["amount"], body["reserved"]["amount"]) == (wallet, reserved)

        await wait_until(projected)

    async def refund_becomes(self, refund_id: str, headers: dict[str, str], status: str) -> dict[str, Any]:
        seen: dict[str, Any] = {}

        async def reached() -> bool:
            r = await self.client.get(f"/v1/refunds/{refund_id}", headers=headers)
            seen.update(r.json())
            return r.status_code == 200 and seen["status"] == status

        await wait_until(reached)
        return seen

    async def ledger(self, account_id: str) -> dict[str, Any]:
        """Settlement's book for the patron: their entries (kind → postings), their accounts' balances, the trial
        balance, all read with settlement's own code."""
        from trickle_settlement.ledger.models import JournalEntry, LedgerBalance, Posting
        from trickle_settlement.models import load_all_models
        from trickle_settlement.statements.service import trial_balance

        load_all_models()
        engine = make_engine(self.dbs.settlement, application_name="refund-test-reader", pool_size=1)
        try:
            async with make_sessionmaker(engine)() as session:
                rows = (
                    await session.execute(
                        select(JournalEntry.kind, Posting.account_id, Posting.amount)
                        .join(Posting, Posting.entry_id == JournalEntry.id)
                        .where(Posting.account_id.like(f"%:{account_id}"))
                    )
                ).all()
                entries: dict[str, dict[str, int]] = {}
                for kind, ledger_account, amount in rows:
                    entries.setdefault(kind, {})[ledger_account] = int(amount)
                balances = dict(
                    (await session.execute(select(LedgerBalance.account_id, LedgerBalance.balance))).tuples().all()
                )
                trial = await trial_balance(session, verify=True)
        finally:
            await engine.dispose()
        return {"entries": entries, "balances": balances, "trial": trial}


@pytest.fixture(scope="module")
async def world() -> AsyncIterator[World]:
    from trickle_wallet.app import build_app
    from trickle_wallet.consumers import consumers
    from trickle_wallet.providers.sandbox import SandboxProvider, asgi_deliver
    from trickle_wallet.settings import Settings

    with service_databases() as dbs:
        await topics_ready(dbs.topic_prefix)
        settings = Settings(
            database_url=dbs.wallet,
            topic_prefix=dbs.topic_prefix,
            log_json=False,
            db_pool_size=3,
            rate_limit_enabled=False,
            operator_client_secret=OPERATOR_SECRET,
            payout_dispatch_interval_s=0.1,
        )
        app = build_app(settings)
        provider = SandboxProvider(secret=settings.sandbox_callback_secret, deliver=asgi_deliver(app), delay_s=0.0)
        engine = make_engine(dbs.wallet, application_name="refund-test-wallet-worker", pool_size=3)
        sessions = make_sessionmaker(engine)
        relay = OutboxRelay(engine, bootstrap=KAFKA, topic_prefix=dbs.topic_prefix, name="refund-test-relay")
        try:
            async with (
                settlement_worker(dbs.settlement, dbs.topic_prefix),
                app.router.lifespan_context(app),
            ):
                app.state.payment_provider = provider
                async with running([*consumers(settings, engine, sessions, provider=provider), relay.run]):
                    transport = httpx.ASGITransport(app=app)
                    async with httpx.AsyncClient(transport=transport, base_url="http://wallet.test") as client:
                        world = World(dbs, client, {})
                        world.operator = await world.token("operator", OPERATOR_SECRET)
                        yield world
        finally:
            await provider.aclose()
            await engine.dispose()


async def _ask(world: World, account_id: str, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    r = await world.client.post(
        "/v1/refunds",
        json={"account_id": account_id, **body},
        headers={**headers, "Idempotency-Key": os.urandom(8).hex()},
    )
    assert r.status_code == 202, r.text
    refund: dict[str, Any] = r.json()
    return refund


async def test_a_wallet_refunded_in_full_reaches_zero_with_a_zero_trial_balance_and_the_account_can_then_go(
    world: World,
) -> None:
    account_id, headers = await world.patron_with_deposit()
    r = await world.client.delete(f"/v1/accounts/{account_id}", headers=headers)
    assert (r.status_code, r.json()["code"]) == (409, "balance_not_zero")
    assert "POST /v1/refunds" in r.json()["detail"]

    refund = await _ask(world, account_id, headers)
    assert refund["amount"] == {"amount": CARD_2500[2], "currency": "EUR"}
    done = await world.refund_becomes(refund["id"], headers, "paid")
    assert done["completed_at"] is not None
    await world.balances_are(account_id, headers, wallet=0, reserved=0)

    book = await world.ledger(account_id)
    wallet, in_transit = f"patron_wallet:{account_id}", f"payouts_in_transit:{account_id}"
    assert book["entries"]["refund_reserve"] == {wallet: CARD_2500[2], in_transit: -CARD_2500[2]}
    assert book["entries"]["refund_settle"] == {in_transit: CARD_2500[2]}
    assert book["balances"][wallet] == 0 and book["balances"][in_transit] == 0
    trial = book["trial"]
    assert trial.balanced and trial.balances_match_postings
    assert [(t.currency, t.difference, t.postings_sum) for t in trial.totals] == [("EUR", 0, 0)]

    r = await world.client.delete(f"/v1/accounts/{account_id}", headers=headers)
    assert r.status_code == 204, r.text
    got = (await world.client.get(f"/v1/accounts/{account_id}", headers=world.operator)).json()
    assert got["deleted_at"] is not None


async def test_a_refund_the_provider_fails_puts_the_money_back_in_the_wallet(world: World) -> None:
    account_id, headers = await world.patron_with_deposit()
    refund = await _ask(world, account_id, headers, amount={"amount": 2_000, "currency": "EUR"}, sandbox="fail")
    failed = await world.refund_becomes(refund["id"], headers, "failed")
    assert failed["reason"] == "sandbox_declined"
    await world.balances_are(account_id, headers, wallet=CARD_2500[2], reserved=0)
    book = await world.ledger(account_id)
    in_transit = f"payouts_in_transit:{account_id}"
    assert book["entries"]["refund_release"] == {in_transit: 2_000, f"patron_wallet:{account_id}": -2_000}
    assert "refund_settle" not in book["entries"]
    assert book["trial"].balanced


async def test_a_refund_whose_callback_is_lost_is_finished_by_the_reconciler(world: World) -> None:
    from trickle_wallet.refunds.models import Refund

    account_id, headers = await world.patron_with_deposit()
    refund = await _ask(world, account_id, headers, sandbox="lose_callback")
    await world.refund_becomes(refund["id"], headers, "processing")
    await world.balances_are(account_id, headers, wallet=0, reserved=CARD_2500[2])
    # Handed to the provider an hour ago: past the deadline, the reconciler asks the provider about it.
    engine = make_engine(world.dbs.wallet, application_name="refund-test-clock", pool_size=1)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            await session.execute(
                update(Refund).where(Refund.id == refund["id"]).values(updated_at=utcnow() - timedelta(hours=1))
            )
    finally:
        await engine.dispose()
    r = await world.client.post("/v1/providers/reconcile", headers=world.operator)
    assert r.status_code == 200, r.text
    assert [o for o in r.json()["orders"] if o["reference"] == refund["id"]] == [
        {"object": "refund", "reference": refund["id"], "provider_status": "succeeded", "outcome": "applied"}
    ]
    await world.refund_becomes(refund["id"], headers, "paid")
    await world.balances_are(account_id, headers, wallet=0, reserved=0)
    book = await world.ledger(account_id)
    assert set(book["entries"]) == {"deposit", "refund_reserve", "refund_settle"}
