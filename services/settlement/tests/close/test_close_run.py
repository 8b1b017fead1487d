"""The close run against the real database: one entry per patron, totals, events, escrow claims and refunds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from trickle_settlement_testing.books import balance, fund

from trickle_events.clicks import ClickRegistered, ThingClaimed, ThingRegistered
from trickle_settlement.close.config import CloseConfig
from trickle_settlement.close.gate import start_close
from trickle_settlement.close.models import PeriodClose
from trickle_settlement.close.service import run_close
from trickle_settlement.escrow.models import EscrowContribution
from trickle_settlement.projections.clicks import on_click_registered
from trickle_settlement.projections.models import AccountProfile, PatronBudget
from trickle_settlement.projections.things import on_thing_claimed, on_thing_state

T0 = datetime(2026, 11, 2, tzinfo=UTC)


async def budget(sessions, patron: str, amount: int, **extra: int | bool) -> None:  # type: ignore[no-untyped-def]
    async with sessions() as session, session.begin():
        await session.execute(
            insert(PatronBudget).values(
                account_id=patron,
                enabled=extra.pop("enabled", True),
                amount=amount,
                currency="EUR",
                updated_at=T0,
                **extra,
            )
        )


async def non_profit(sessions, account: str) -> None:  # type: ignore[no-untyped-def]
    async with sessions() as session, session.begin():
        await session.execute(
            insert(AccountProfile).values(account_id=account, currency="EUR", non_profit=True, commission_bps=0)
        )


async def click(feed, period: str, patron: str, thing: str, owner: str | None, *, minute: int, weight: int = 1):  # type: ignore[no-untyped-def]
    click_id = f"clk_{minute:04d}{thing[-28:]}"
    await feed(
        on_click_registered,
        ClickRegistered(
            click_id=click_id,
            patron_id=patron,
            thing_id=thing,
            owner_id=owner,
            weight=weight,
            period=period,
            clicked_at=T0 + timedelta(minutes=minute),
        ),
    )
    return click_id


async def close(sessions, period: str, **config: int) -> PeriodClose:  # type: ignore[no-untyped-def]
    async with sessions() as session, session.begin():
        await start_close(session, period, "test")
    return await run_close(sessions, period, CloseConfig(**config))


async def postings_of(sessions, key: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    async with sessions() as session:
        rows = await session.execute(
            text(
                "SELECT p.account_id, p.amount FROM postings p JOIN journal_entries e ON e.id = p.entry_id "
                "WHERE e.idempotency_key = :key"
            ),
            {"key": key},
        )
        return dict(rows.tuples().all())


async def test_a_patron_is_settled_in_one_balanced_entry(sessions, feed, unique) -> None:  # type: ignore[no-untyped-def]
    period = "2032-01"
    patron, creator, charity = unique("acct"), unique("acct"), unique("acct")
    unclaimed = unique("thing")
    await budget(sessions, patron, 100)
    await fund(sessions, patron, 1_000)
    await non_profit(sessions, charity)
    await click(feed, period, patron, unique("thing"), creator, minute=1)
    await click(feed, period, patron, unique("thing"), charity, minute=2)
    await click(feed, period, patron, unclaimed, None, minute=3)

    row = await close(sessions, period)

    assert row.status == "closed"
    assert (row.patrons_settled, row.total_spent, row.total_commission, row.total_escrow) == (1, 100, 3, 33)
    assert await postings_of(sessions, f"settle:{period}:{patron}") == {
        f"patron_wallet:{patron}": 100,
        f"creator_earnings:{creator}": -31,  # 34 gross (earliest click gets the cent), 3 commission
        f"creator_earnings:{charity}": -33,  # non-profit: 0 %
        "platform_commission": -3,
        f"escrow:{unclaimed}": -33,
    }
    assert await balance(sessions, f"patron_wallet:{patron}") == 900
    async with sessions() as session:
        events = (
            await session.execute(
                text("SELECT event_type, payload::jsonb FROM outbox WHERE payload::jsonb->>'period' = :p ORDER BY id"),
                {"p": period},
            )
        ).all()
    assert [e for e, _ in events] == ["settlement.patron.settled", "settlement.period.closed"]
    settled = events[0][1]
    assert settled["spent"] == {"amount": 100, "currency": "EUR"}
    assert sorted(s["gross"] for s in settled["shares"]) == [33, 33, 34]


async def test_nothing_posted_for_an_empty_wallet_a_disabled_budget_or_no_budget(sessions, feed, unique) -> None:  # type: ignore[no-untyped-def]
    period = "2032-02"
    empty, disabled, unbudgeted = unique("acct"), unique("acct"), unique("acct")
    await budget(sessions, empty, 500)
    await budget(sessions, disabled, 500, enabled=False)
    await fund(sessions, disabled, 1_000)
    await fund(sessions, unbudgeted, 1_000)
    for minute, patron in enumerate((empty, disabled, unbudgeted)):
        await click(feed, period, patron, unique("thing"), unique("acct"), minute=minute)

    row = await close(sessions, period)

    assert (row.status, row.patrons_settled, row.total_spent) == ("closed", 0, 0)
    assert await balance(sessions, f"patron_wallet:{disabled}") == 1_000


async def test_running_a_closed_period_again_posts_nothing_new(sessions, feed, unique) -> None:  # type: ignore[no-untyped-def]
    period = "2032-03"
    patron = unique("acct")
    await budget(sessions, patron, 200)
    await fund(sessions, patron, 200)
    for i in range(20):
        await click(feed, period, patron, unique("thing"), unique("acct"), minute=i)
    await close(sessions, period, batch_patrons=1)
    async with sessions() as session:
        count = "SELECT count(*) FROM journal_entries WHERE period = :p"
        before = (await session.execute(text(count), {"p": period})).scalar_one()
    again = await run_close(sessions, period)
    async with sessions() as session:
        after = (await session.execute(text(count), {"p": period})).scalar_one()
    assert again.status == "closed" and before == after == 1
    amounts = await postings_of(sessions, f"settle:{period}:{patron}")
    assert sorted(v for k, v in amounts.items() if k.startswith("creator_earnings")) == [-9] * 20  # 10 ct less 1


async def test_a_claim_moves_the_escrow_to_the_claimant_less_commission(sessions, feed, unique) -> None:  # type: ignore[no-untyped-def]
    period = "2032-04"
    thing, owner = unique("thing"), unique("acct")
    patrons = [unique("acct") for _ in range(3)]
    for i, patron in enumerate(patrons):
        await budget(sessions, patron, 250)
        await fund(sessions, patron, 1_000)
        await click(feed, period, patron, thing, None, minute=i)
    await close(sessions, period)
    assert await balance(sessions, f"escrow:{thing}") == 750

    await feed(on_thing_claimed, ThingClaimed(thing_id=thing, owner_id=owner, domain="x.example", claimed_at=T0))

    assert await balance(sessions, f"escrow:{thing}") == 0
    assert await balance(sessions, f"creator_earnings:{owner}") == 675  # 750 less 75 (10 %)
    async with sessions() as session:
        statuses = (
            await session.execute(select(EscrowContribution.status).where(EscrowContribution.thing_id == thing))
        ).scalars()
        assert set(statuses) == {"released"}


async def test_clicks_on_a_thing_claimed_before_the_close_pay_the_owner_directly(sessions, feed, unique) -> None:  # type: ignore[no-untyped-def]
    period = "2032-05"
    thing, owner, patron = unique("thing"), unique("acct"), unique("acct")
    await budget(sessions, patron, 200)
    await fund(sessions, patron, 200)
    await click(feed, period, patron, thing, None, minute=1)
    await feed(on_thing_claimed, ThingClaimed(thing_id=thing, owner_id=owner, domain="x.example", claimed_at=T0))
    await close(sessions, period)
    assert await postings_of(sessions, f"settle:{period}:{patron}") == {
        f"patron_wallet:{patron}": 200,
        f"creator_earnings:{owner}": -180,
        "platform_commission": -20,
    }


async def test_escrow_unclaimed_for_the_configured_periods_is_refunded_exactly(sessions, feed, unique) -> None:  # type: ignore[no-untyped-def]
    thing = unique("thing")
    await feed(on_thing_state, ThingRegistered(thing_id=thing, owner_id=None, url="https://u.example/", weight=1))
    rich, poor = unique("acct"), unique("acct")
    await budget(sessions, rich, 300)
    await fund(sessions, rich, 1_000)
    await budget(sessions, poor, 300)
    await fund(sessions, poor, 120)
    creator = unique("acct")
    await click(feed, "2033-01", rich, thing, None, minute=1)
    await click(feed, "2033-01", rich, unique("thing"), creator, minute=2)
    await click(feed, "2033-01", poor, thing, None, minute=3)
    await close(sessions, "2033-01", refund_after_periods=2)
    assert await balance(sessions, f"escrow:{thing}") == 150 + 120

    await close(sessions, "2033-02", refund_after_periods=2)
    assert await balance(sessions, f"escrow:{thing}") == 270  # one closed period later: still held
    await close(sessions, "2033-03", refund_after_periods=2)

    assert await balance(sessions, f"escrow:{thing}") == 0
    assert await postings_of(sessions, f"escrow-refund:{thing}:2033-01") == {
        f"escrow:{thing}": 270,
        f"patron_wallet:{rich}": -150,
        f"patron_wallet:{poor}": -120,
    }
    assert await balance(sessions, f"patron_wallet:{rich}") == 1_000 - 300 + 150
    assert await balance(sessions, f"patron_wallet:{poor}") == 120
