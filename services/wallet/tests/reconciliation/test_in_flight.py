"""Nothing stays in flight: a deposit or payout whose callback was lost is finished from the provider's answer,
through the callback's own path, so that a callback and the reconciler together have exactly one effect."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from trickle_events.ledger import PayoutReserved
from trickle_kit.envelope import utcnow
from trickle_kit.money import Money
from trickle_kit.tables import OutboxRecord
from trickle_kit.testing import wait_until
from trickle_wallet.deposits.models import Deposit
from trickle_wallet.payouts import service as payouts
from trickle_wallet.payouts.models import Payout
from trickle_wallet.providers.base import PaymentOrder, ProviderResult
from trickle_wallet.providers.sandbox import CALLBACK_PATH, SandboxProvider
from trickle_wallet.reconciliation import service as reconciliation

from ..support.money import eur

RECONCILE = "/v1/providers/reconcile"


@dataclass
class InFlight:
    kind: str
    id: str
    amount: int
    path: str
    final: str
    event: str


@pytest.fixture
async def holder(register, tokens):  # type: ignore[no-untyped-def]
    account_id = (await register())["account"]["id"]
    return account_id, tokens.headers(account_id)


async def _start(app, client, holder, sandbox, kind: str, instruction: str = "lose_callback") -> InFlight:  # type: ignore[no-untyped-def]
    """A deposit pending, or a payout processing, at the sandbox; its callbacks (if any) delivered."""
    account_id, headers = holder
    if kind == "deposit":
        r = await client.post(
            "/v1/deposits", json={"method": "card", "amount": eur(3_000), "sandbox": instruction}, headers=headers
        )
        assert r.status_code == 202, r.text
        item = InFlight("deposit", r.json()["id"], 3_000, "/v1/deposits/", "succeeded", "wallet.deposit.succeeded")
    else:
        r = await client.post("/v1/payouts", json={"amount": eur(2_000), "sandbox": instruction}, headers=headers)
        assert r.status_code == 202, r.text
        item = InFlight("payout", r.json()["id"], 2_000, "/v1/payouts/", "paid", "wallet.payout.paid")
        async with app.state.sessions() as session, session.begin():  # what the ledger consumer does
            await payouts.on_payout_reserved(
                session,
                PayoutReserved(
                    payout_id=item.id, account_id=account_id, amount=Money(amount=2_000, currency="EUR"), entry_id="je"
                ),
            )
        await payouts.dispatch_reserved(app.state.sessions, sandbox)  # what the worker's dispatcher does
    await sandbox.drain()
    assert (await _read(client, holder, item))["status"] == ("pending" if kind == "deposit" else "processing")
    return item


async def _read(client, holder, item: InFlight) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    r = await client.get(item.path + item.id, headers=holder[1])
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def _overdue(app, item: InFlight) -> None:  # type: ignore[no-untyped-def]
    """Move the deadline into the past: made (deposit) or handed over (payout) an hour ago."""
    model, column = (Deposit, "created_at") if item.kind == "deposit" else (Payout, "updated_at")
    async with app.state.sessions() as session, session.begin():
        await session.execute(update(model).where(model.id == item.id).values({column: utcnow() - timedelta(hours=1)}))


async def _events(app, item: InFlight) -> int:  # type: ignore[no-untyped-def]
    stmt = select(func.count()).select_from(OutboxRecord).where(OutboxRecord.subject == item.id)
    async with app.state.sessions() as session:
        return int((await session.execute(stmt.where(OutboxRecord.event_type == item.event))).scalar_one())


def _mine(report: dict[str, Any], item: InFlight) -> list[dict[str, Any]]:
    return [o for o in report["orders"] if o["reference"] == item.id]


async def _late_callback(client, sandbox: SandboxProvider, item: InFlight, status: str = "succeeded") -> str:  # type: ignore[no-untyped-def]
    order = PaymentOrder(item.kind, item.id, Money(amount=item.amount, currency="EUR"))  # type: ignore[arg-type]
    answer = await sandbox.status(order)
    assert answer is not None
    late = answer.model_copy(update={"id": f"sbxevt_late_{status}_{item.id}", "status": status})
    headers, body = sandbox.signed(late)
    r = await client.post(CALLBACK_PATH, content=body, headers=headers)
    assert r.status_code == 200, r.text
    outcome: str = r.json()["outcome"]
    return outcome


@pytest.mark.parametrize("kind", ["deposit", "payout"])
async def test_a_lost_callback_is_replaced_by_reconciliation_and_arriving_late_changes_nothing(
    app, client, holder, sandbox, tokens, kind
) -> None:  # type: ignore[no-untyped-def]
    item = await _start(app, client, holder, sandbox, kind)
    operator = tokens.operator_headers()
    r = await client.post(RECONCILE, headers=operator)
    assert r.status_code == 200, r.text
    assert _mine(r.json(), item) == []  # before its deadline, nobody asks the provider
    assert (await _read(client, holder, item))["status"] != item.final

    await _overdue(app, item)
    r = await client.post(RECONCILE, headers=operator)
    assert r.status_code == 200, r.text
    assert _mine(r.json(), item) == [
        {"object": kind, "reference": item.id, "provider_status": "succeeded", "outcome": "applied"}
    ]
    assert r.json()["finished"] >= 1
    done = await _read(client, holder, item)
    assert done["status"] == item.final and done["completed_at"] is not None
    assert await _events(app, item) == 1

    assert await _late_callback(client, sandbox, item) == "unchanged"
    assert await _late_callback(client, sandbox, item, "failed") == "ignored"
    assert (await _read(client, holder, item))["status"] == item.final
    assert await _events(app, item) == 1
    r = await client.post(RECONCILE, headers=operator)
    assert _mine(r.json(), item) == []  # finished: no longer in flight


class CallbackWhileAsked:
    """The provider, whose callback arrives while the reconciler is asking it (after it picked the order)."""

    def __init__(self, sandbox: SandboxProvider, client: Any) -> None:
        self.sandbox, self.client, self.name = sandbox, client, sandbox.name
        self.callback_outcomes: list[str] = []

    async def status(self, order: PaymentOrder) -> ProviderResult | None:
        answer = await self.sandbox.status(order)
        assert answer is not None
        headers, body = self.sandbox.signed(answer.model_copy(update={"id": f"sbxevt_{order.reference}"}))
        r = await self.client.post(CALLBACK_PATH, content=body, headers=headers)
        self.callback_outcomes.append(r.json()["outcome"])
        return answer


@pytest.mark.parametrize("kind", ["deposit", "payout"])
async def test_a_callback_arriving_while_reconciling_leaves_the_reconciler_nothing_to_do(
    app, client, holder, sandbox, kind
) -> None:  # type: ignore[no-untyped-def]
    item = await _start(app, client, holder, sandbox, kind)
    await _overdue(app, item)
    provider = CallbackWhileAsked(sandbox, client)
    report = await reconciliation.reconcile(app.state.sessions, provider, app.state.settings)  # type: ignore[arg-type]
    [mine] = _mine(report.model_dump(mode="json"), item)
    assert mine["outcome"] == "unchanged" and mine["provider_status"] == "succeeded"
    assert "applied" in provider.callback_outcomes
    assert (await _read(client, holder, item))["status"] == item.final
    assert await _events(app, item) == 1


async def test_what_the_provider_has_not_finished_stays_and_what_it_failed_fails(
    app, client, holder, sandbox, tokens
) -> None:  # type: ignore[no-untyped-def]
    waiting = await _start(app, client, holder, sandbox, "deposit", "timeout")
    sandbox.lose_callbacks = True
    declined = await _start(app, client, holder, sandbox, "deposit", "fail")
    refused = await _start(app, client, holder, sandbox, "payout", "fail")
    for item in (waiting, declined, refused):
        await _overdue(app, item)
    r = await client.post(RECONCILE, headers=tokens.operator_headers())
    assert r.status_code == 200, r.text
    assert [o["outcome"] for o in _mine(r.json(), waiting)] == ["pending"]
    assert [(o["provider_status"], o["outcome"]) for o in _mine(r.json(), declined) + _mine(r.json(), refused)] == [
        ("failed", "applied"),
        ("failed", "applied"),
    ]
    assert (await _read(client, holder, waiting))["status"] == "pending"
    assert (await _read(client, holder, declined))["failure_reason"] == "sandbox_declined"
    assert (await _read(client, holder, refused))["status"] == "failed"


async def test_the_worker_reconciles_on_its_own_every_interval(app, client, holder, sandbox) -> None:  # type: ignore[no-untyped-def]
    from trickle_wallet.consumers import reconciler

    item = await _start(app, client, holder, sandbox, "deposit")
    settings = app.state.settings.model_copy(update={"reconcile_interval_s": 0.05})
    stop = asyncio.Event()
    task = asyncio.create_task(reconciler(settings, app.state.sessions, sandbox)(stop))
    try:
        await _overdue(app, item)

        async def finished() -> bool:
            return bool((await _read(client, holder, item))["status"] == item.final)

        await wait_until(finished)
    finally:
        stop.set()
        await task
    assert await _events(app, item) == 1


async def test_only_operators_may_reconcile(client, holder) -> None:  # type: ignore[no-untyped-def]
    _, headers = holder
    assert (await client.post(RECONCILE, headers=headers)).status_code == 403
    assert (await client.post(RECONCILE)).status_code == 401
