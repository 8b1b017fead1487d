"""Deposits end to end: quote, 202 + pending, the sandbox's signed callback, events on Kafka."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select, update

from trickle_kit.tables import OutboxRecord
from trickle_kit.testing import wait_until
from trickle_wallet.deposits.models import Deposit
from trickle_wallet.providers.models import ProviderCallback

from ..support.money import eur, poll_status, unique_key


@pytest.fixture
async def patron(register, tokens):  # type: ignore[no-untyped-def]
    account = (await register())["account"]
    return account["id"], tokens.headers(account["id"])


async def _count(app, model, *where) -> int:  # type: ignore[no-untyped-def]
    async with app.state.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(model).where(*where))).scalar_one())


async def test_quote_gives_gross_fee_and_net_per_method(client: httpx.AsyncClient, patron) -> None:  # type: ignore[no-untyped-def]
    _, headers = patron
    expected = {"bank_transfer": (10_000, 60, 9_940), "paypal": (10_000, 375, 9_625), "card": (1_225, 55, 1_170)}
    for method, (gross, fee, net) in expected.items():
        r = await client.post("/v1/deposits/quote", json={"method": method, "amount": eur(gross)}, headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        assert (body["gross"]["amount"], body["fee"]["amount"], body["net"]["amount"]) == (gross, fee, net)
        assert body["fee"]["currency"] == "EUR"


async def test_a_deposit_succeeds_when_the_provider_calls_back_and_the_ledger_hears_of_it(
    app, client: httpx.AsyncClient, patron, sandbox, live
) -> None:  # type: ignore[no-untyped-def]
    account_id, headers = patron
    r = await client.post(
        "/v1/deposits",
        json={"method": "paypal", "amount": eur(5_000)},
        headers={**headers, "Idempotency-Key": unique_key()},
    )
    assert r.status_code == 202, r.text
    deposit = r.json()
    assert deposit["status"] == "pending" and deposit["id"].startswith("dep_")
    assert r.headers["location"] == f"/v1/deposits/{deposit['id']}"
    done = await poll_status(client, f"/v1/deposits/{deposit['id']}", headers, "succeeded")
    assert done["completed_at"] is not None
    events = await live.wallet_events(
        lambda evs: any(e.type == "wallet.deposit.succeeded" and e.subject == deposit["id"] for e in evs)
    )
    [event] = [e for e in events if e.subject == deposit["id"]]
    assert event.data["account_id"] == account_id
    assert (event.data["gross"]["amount"], event.data["fee"]["amount"], event.data["net"]["amount"]) == (
        5_000,
        35 + 170,
        5_000 - 205,
    )
    assert event.data["method"] == "paypal" and event.data["provider"] == "sandbox"


async def test_a_declined_payment_fails_the_deposit_and_says_so(
    client: httpx.AsyncClient, patron, sandbox, live
) -> None:  # type: ignore[no-untyped-def]
    _, headers = patron
    r = await client.post(
        "/v1/deposits", json={"method": "card", "amount": eur(2_000), "sandbox": "fail"}, headers=headers
    )
    assert r.status_code == 202, r.text
    done = await poll_status(client, f"/v1/deposits/{r.json()['id']}", headers, "failed")
    assert done["failure_reason"] == "sandbox_declined"
    events = await live.wallet_events(
        lambda evs: any(e.type == "wallet.deposit.failed" and e.subject == done["id"] for e in evs)
    )
    assert not [e for e in events if e.type == "wallet.deposit.succeeded" and e.subject == done["id"]]


async def test_a_duplicated_callback_has_no_second_effect(
    app, client: httpx.AsyncClient, patron, sandbox, live
) -> None:  # type: ignore[no-untyped-def]
    _, headers = patron
    r = await client.post(
        "/v1/deposits", json={"method": "card", "amount": eur(3_000), "sandbox": "duplicate"}, headers=headers
    )
    dep_id = r.json()["id"]
    await sandbox.drain()
    assert [status for status, result in sandbox.delivered if result.reference == dep_id] == [200, 200]
    body = (await client.get(f"/v1/deposits/{dep_id}", headers=headers)).json()
    assert body["status"] == "succeeded"
    assert await _count(app, ProviderCallback, ProviderCallback.reference == dep_id) == 1
    assert await _count(app, OutboxRecord, OutboxRecord.subject == dep_id) == 1
    events = await live.wallet_events(lambda evs: any(e.subject == dep_id for e in evs), settle_s=1.0)
    assert [e.type for e in events if e.subject == dep_id] == ["wallet.deposit.succeeded"]


async def test_late_pending_and_failed_callbacks_do_not_regress_a_success(
    app, client: httpx.AsyncClient, patron, sandbox
) -> None:  # type: ignore[no-untyped-def]
    _, headers = patron
    r = await client.post(
        "/v1/deposits", json={"method": "card", "amount": eur(3_000), "sandbox": "out_of_order"}, headers=headers
    )
    dep_id = r.json()["id"]
    await sandbox.drain()
    body = (await client.get(f"/v1/deposits/{dep_id}", headers=headers)).json()
    assert body["status"] == "succeeded" and body["failure_reason"] is None
    async with app.state.sessions() as session:
        rows = (
            await session.execute(
                select(ProviderCallback.status, ProviderCallback.outcome)
                .where(ProviderCallback.reference == dep_id)
                .order_by(ProviderCallback.received_at)
            )
        ).all()
    assert sorted(map(tuple, rows)) == sorted(
        [("succeeded", "applied"), ("pending", "unchanged"), ("failed", "ignored")]
    )
    assert await _count(app, OutboxRecord, OutboxRecord.subject == dep_id) == 1


async def test_a_deposit_the_provider_never_answers_fails_when_its_time_is_up(
    app, client: httpx.AsyncClient, patron, sandbox
) -> None:  # type: ignore[no-untyped-def]
    _, headers = patron
    r = await client.post(
        "/v1/deposits", json={"method": "bank_transfer", "amount": eur(3_000), "sandbox": "timeout"}, headers=headers
    )
    dep_id = r.json()["id"]
    assert (await client.get(f"/v1/deposits/{dep_id}", headers=headers)).json()["status"] == "pending"
    # Its time is up: the deadline is moved into the past (however long the steps above took).
    async with app.state.sessions() as session, session.begin():
        await session.execute(update(Deposit).where(Deposit.id == dep_id).values(expires_at=func.now()))
    done = await poll_status(client, f"/v1/deposits/{dep_id}", headers, "failed")
    assert done["failure_reason"] == "provider_timeout"
    assert (
        await _count(
            app, OutboxRecord, OutboxRecord.subject == dep_id, OutboxRecord.event_type == "wallet.deposit.failed"
        )
        == 1
    )


async def test_the_worker_sweeper_fails_timed_out_deposits_nobody_reads(
    app, client: httpx.AsyncClient, patron, sandbox, live
) -> None:  # type: ignore[no-untyped-def]
    _, headers = patron
    app.state.settings.deposit_timeout_s = 0.3
    r = await client.post(
        "/v1/deposits", json={"method": "bank_transfer", "amount": eur(3_000), "sandbox": "timeout"}, headers=headers
    )
    dep_id = r.json()["id"]

    async def failed() -> bool:
        async with app.state.sessions() as session:
            return (await session.get(Deposit, dep_id)).status == "failed"  # type: ignore[union-attr]

    await wait_until(failed)
    await live.wallet_events(lambda evs: any(e.type == "wallet.deposit.failed" and e.subject == dep_id for e in evs))


async def test_a_success_arriving_after_the_time_out_is_ignored(
    app, client: httpx.AsyncClient, patron, sandbox
) -> None:  # type: ignore[no-untyped-def]
    from trickle_kit.money import Money
    from trickle_wallet.providers.base import ProviderResult

    _, headers = patron
    app.state.settings.deposit_timeout_s = 0.2
    r = await client.post(
        "/v1/deposits", json={"method": "card", "amount": eur(3_000), "sandbox": "timeout"}, headers=headers
    )
    dep_id = r.json()["id"]
    await poll_status(client, f"/v1/deposits/{dep_id}", headers, "failed")
    late = ProviderResult(
        id="sbxevt_late",
        object="deposit",
        reference=dep_id,
        provider_ref="sbx_x",
        status="succeeded",
        amount=Money(amount=3_000, currency="EUR"),
    )
    h, body = sandbox.signed(late)
    cb = await client.post("/v1/providers/sandbox/callbacks", content=body, headers=h)
    assert cb.status_code == 200 and cb.json()["outcome"] == "ignored"
    assert (await client.get(f"/v1/deposits/{dep_id}", headers=headers)).json()["status"] == "failed"
    assert await _count(app, OutboxRecord, OutboxRecord.subject == dep_id) == 1


async def test_deposits_are_listed_by_cursor_and_only_mine(
    client: httpx.AsyncClient, register, tokens, sandbox
) -> None:  # type: ignore[no-untyped-def]
    mine = (await register())["account"]["id"]
    other = (await register())["account"]["id"]
    h = tokens.headers(mine)
    ids = []
    for _ in range(3):
        r = await client.post("/v1/deposits", json={"method": "card", "amount": eur(1_000)}, headers=h)
        ids.append(r.json()["id"])
    await client.post("/v1/deposits", json={"method": "card", "amount": eur(1_000)}, headers=tokens.headers(other))
    first = (await client.get("/v1/deposits?limit=2", headers=h)).json()
    assert [d["id"] for d in first["data"]] == ids[:2] and first["has_more"] is True
    rest = (await client.get(f"/v1/deposits?limit=2&starting_after={first['next_starting_after']}", headers=h)).json()
    assert [d["id"] for d in rest["data"]] == ids[2:] and rest["has_more"] is False
    await sandbox.drain()
