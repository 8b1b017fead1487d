"""A close settles with the budgets and commission rates of its start: a change made during the close, between
two batches or while it lies crashed, leaves it entry for entry as without the change, and applies from the
next period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text
from trickle_settlement_testing.books import fund
from trickle_settlement_testing.close_books import clone, close_process, dump, finished, seed_period
from trickle_settlement_testing.fixtures import Feeder
from trickle_settlement_testing.held_close import close_held_at

from trickle_events.clicks import ClickRegistered
from trickle_events.wallet import AccountUpdated, BudgetUpdated
from trickle_kit.db import make_engine, make_sessionmaker, sync_url
from trickle_kit.money import Money
from trickle_kit.testing import worker_suffix
from trickle_settlement.close.config import CloseConfig
from trickle_settlement.close.gate import start_close
from trickle_settlement.close.service import run_close
from trickle_settlement.commission import commission_of
from trickle_settlement.projections.accounts import (
    apply_account_state,
    apply_budget,
    commission_rates,
    frozen_budgets_of,
    frozen_commission_rates,
)
from trickle_settlement.projections.clicks import on_click_registered

PERIOD = "2034-08"
NEXT = "2034-09"
BATCH = 10
CONFIG = CloseConfig(batch_patrons=BATCH, shards=8)
NEW_BPS = 2500


@dataclass(frozen=True)
class Change:
    """A budget and a commission rate to change during the close: the patron settled last (one worker takes
    the shards in patron order), with no min/max, a wallet of at least twice the budget, and a click on a
    thing of ``creator``, who pays commission."""

    patron: str
    amount: int
    currency: str
    creator: str
    thing: str

    @property
    def new_amount(self) -> int:
        return self.amount // 2


def _change_of(url: str) -> Change:
    engine = create_engine(sync_url(url))
    with engine.connect() as conn:
        patron, amount, currency = conn.execute(
            text(
                "SELECT b.account_id, b.amount, b.currency FROM patron_budgets b "
                "JOIN ledger_balances w ON w.account_id = 'patron_wallet:' || b.account_id "
                "WHERE b.enabled AND b.min_per_click IS NULL AND b.max_per_month IS NULL AND b.amount >= 400 "
                "AND w.balance >= 2 * b.amount AND EXISTS (SELECT 1 FROM close_clicks c "
                "  JOIN account_profiles a ON a.account_id = c.owner_id "
                "  WHERE c.period = :p AND c.patron_id = b.account_id AND NOT a.non_profit) "
                "ORDER BY b.account_id DESC LIMIT 1"
            ),
            {"p": PERIOD},
        ).one()
        creator, thing = conn.execute(
            text(
                "SELECT c.owner_id, c.thing_id FROM close_clicks c "
                "JOIN account_profiles a ON a.account_id = c.owner_id "
                "WHERE c.period = :p AND c.patron_id = :patron AND NOT a.non_profit ORDER BY c.click_id LIMIT 1"
            ),
            {"p": PERIOD, "patron": patron},
        ).one()
    engine.dispose()
    return Change(patron, amount, currency, creator, thing)


@pytest.fixture(scope="module")
def seeded() -> str:
    """A period of a few hundred patrons, its close started (budgets and rates frozen), not run."""
    name = f"test_settlement_frozen_src_{worker_suffix()}"
    seed_period(name, PERIOD, patrons=300, clicks=1_800, seed=14)
    return name


@pytest.fixture(scope="module")
def change(seeded: str) -> Change:
    return _change_of(clone(seeded, f"test_settlement_frozen_pick_{worker_suffix()}"))


@pytest.fixture(scope="module")
def expected(seeded: str) -> list[tuple[object, ...]]:
    """What one uninterrupted worker's close of the period writes, nothing changed."""
    reference = clone(seeded, f"test_settlement_frozen_a_{worker_suffix()}")
    assert finished(close_process(reference, PERIOD, batch=BATCH)) == 0
    return dump(reference, PERIOD)


async def _apply(url: str, change: Change) -> None:
    """The wallet's news, as the consumers apply them: the patron's budget halved, the creator's rate raised."""
    engine = make_engine(url, application_name="frozen-inputs-test", pool_size=1)
    sessions = make_sessionmaker(engine)
    async with sessions() as session, session.begin():
        await apply_budget(
            session,
            BudgetUpdated(
                account_id=change.patron,
                enabled=True,
                amount=Money(amount=change.new_amount, currency=change.currency),
                updated_at=datetime.now(UTC),
            ),
        )
        await apply_account_state(
            session,
            AccountUpdated(
                account_id=change.creator,
                display_name="creator",
                kind="person",
                currency=change.currency,
                commission_bps=NEW_BPS,
            ),
        )
    async with sessions() as session:
        assert await commission_rates(session, [change.creator]) == {change.creator: NEW_BPS}
    await engine.dispose()


def _settled(url: str, key: str) -> dict[str, int]:
    """The postings of the entry ``key`` (empty when not posted)."""
    engine = create_engine(sync_url(url))
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT p.account_id, p.amount FROM postings p JOIN journal_entries e ON e.id = p.entry_id "
                "WHERE e.idempotency_key = :key"
            ),
            {"key": key},
        ).all()
    engine.dispose()
    return {account: int(amount) for account, amount in rows}


async def _next_period_settles_with_the_new_values(url: str, change: Change) -> None:
    engine = make_engine(url, application_name="frozen-inputs-test", pool_size=2)
    sessions = make_sessionmaker(engine)
    await Feeder(sessions)(
        on_click_registered,
        ClickRegistered(
            click_id=f"clk_next{change.patron[-24:]}",
            patron_id=change.patron,
            thing_id=change.thing,
            owner_id=change.creator,
            weight=1,
            period=NEXT,
            clicked_at=datetime(2034, 9, 2, tzinfo=UTC) + timedelta(minutes=1),
        ),
    )
    async with sessions() as session, session.begin():
        await start_close(session, NEXT, "test")
    row = await run_close(sessions, NEXT, CONFIG)
    await engine.dispose()
    assert row.status == "closed"
    commission = commission_of(change.new_amount, NEW_BPS)
    assert _settled(url, f"settle:{NEXT}:{change.patron}") == {
        f"patron_wallet:{change.patron}": change.new_amount,
        f"creator_earnings:{change.creator}": -(change.new_amount - commission),
        "platform_commission": -commission,
    }


async def test_a_budget_and_a_rate_changed_between_two_batches_leave_the_close_as_without_the_change(
    seeded: str, change: Change, expected: list[tuple[object, ...]]
) -> None:
    url = clone(seeded, f"test_settlement_frozen_b_{worker_suffix()}")
    key = f"settle:{PERIOD}:{change.patron}"

    async def meanwhile() -> None:
        assert _settled(url, key) == {}, "the changed patron is settled after the change"
        await _apply(url, change)

    # Held after the first batch committed: the change lands between two batches of the running close.
    row = await close_held_at(url, PERIOD, CONFIG, "batch_committed", meanwhile)

    assert row.status == "closed"
    assert dump(url, PERIOD) == expected
    # The patron paid the budget of the start, the creator the rate of the start.
    assert _settled(url, key)[f"patron_wallet:{change.patron}"] == change.amount
    # And the next period settles with the new ones.
    await _next_period_settles_with_the_new_values(url, change)


async def test_a_close_resumed_after_a_crash_reads_the_values_of_its_start(
    seeded: str, change: Change, expected: list[tuple[object, ...]]
) -> None:
    url = clone(seeded, f"test_settlement_frozen_c_{worker_suffix()}")
    assert finished(close_process(url, PERIOD, batch=BATCH, kill_at="batch_committed:2")) == -9
    await _apply(url, change)
    assert finished(close_process(url, PERIOD, batch=BATCH, kill_at="entries_posted:3")) == -9
    assert finished(close_process(url, PERIOD, batch=BATCH)) == 0

    assert dump(url, PERIOD) == expected


async def test_the_start_freezes_the_budgets_of_the_periods_patrons_and_the_terms_of_its_recipients(
    sessions, feed, unique
) -> None:  # type: ignore[no-untyped-def]
    period = "2035-04"
    patron, idle = unique("acct"), unique("acct")
    charity, creator, unannounced = unique("acct"), unique("acct"), unique("acct")
    now = datetime.now(UTC)
    async with sessions() as session, session.begin():
        for account, amount in ((patron, 300), (idle, 500)):
            await apply_budget(
                session,
                BudgetUpdated(
                    account_id=account, enabled=True, amount=Money(amount=amount, currency="EUR"), updated_at=now
                ),
            )
        for account, non_profit, bps in ((charity, True, 1000), (creator, False, 1500)):
            await apply_account_state(
                session,
                AccountUpdated(
                    account_id=account,
                    display_name="x",
                    kind="person",
                    currency="EUR",
                    non_profit=non_profit,
                    commission_bps=bps,
                ),
            )
    for minute, owner in enumerate((charity, creator, unannounced)):
        await feed(
            on_click_registered,
            ClickRegistered(
                click_id=unique("clk"),
                patron_id=patron,
                thing_id=unique("thing"),
                owner_id=owner,
                weight=1,
                period=period,
                clicked_at=datetime(2035, 4, 2, tzinfo=UTC) + timedelta(minutes=minute),
            ),
        )
    async with sessions() as session, session.begin():
        row = await start_close(session, period, "test")
        assert row.inputs_frozen_at is not None
    async with sessions() as session, session.begin():
        await apply_account_state(
            session,
            AccountUpdated(account_id=creator, display_name="x", kind="person", currency="EUR", commission_bps=3000),
        )

    recipients = [charity, creator, unannounced]
    async with sessions() as session:
        frozen = await frozen_budgets_of(session, period, [patron, idle])
        assert list(frozen) == [patron], "only the period's patrons are frozen"
        assert frozen[patron].amount == 300
        assert await frozen_commission_rates(session, period, recipients) == {
            charity: 0,  # non-profit
            creator: 1500,  # as at the start of the close
            unannounced: 1000,  # the default
        }
        # Outside the close (tips, escrow claims) the current rate applies.
        assert (await commission_rates(session, recipients))[creator] == 3000


async def test_a_close_started_before_inputs_were_frozen_freezes_them_at_its_next_run(sessions, feed, unique) -> None:  # type: ignore[no-untyped-def]
    period = "2035-05"
    patron, creator = unique("acct"), unique("acct")
    await fund(sessions, patron, 1_000)
    async with sessions() as session, session.begin():
        await apply_budget(
            session,
            BudgetUpdated(
                account_id=patron, enabled=True, amount=Money(amount=200, currency="EUR"), updated_at=datetime.now(UTC)
            ),
        )
    await feed(
        on_click_registered,
        ClickRegistered(
            click_id=unique("clk"),
            patron_id=patron,
            thing_id=unique("thing"),
            owner_id=creator,
            weight=1,
            period=period,
            clicked_at=datetime(2035, 5, 2, tzinfo=UTC),
        ),
    )
    async with sessions() as session, session.begin():
        await start_close(session, period, "test")
        # As a close started by a version that froze nothing left it.
        await session.execute(text("DELETE FROM close_budgets WHERE period = :p"), {"p": period})
        await session.execute(text("DELETE FROM close_commission_terms WHERE period = :p"), {"p": period})
        await session.execute(text("UPDATE close_periods SET inputs_frozen_at = NULL WHERE period = :p"), {"p": period})

    row = await run_close(sessions, period, CONFIG)

    assert row.status == "closed" and row.inputs_frozen_at is not None
    assert (row.patrons_settled, row.total_spent, row.total_commission) == (1, 200, 20)
