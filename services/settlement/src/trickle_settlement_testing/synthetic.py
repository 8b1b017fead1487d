"""Deterministic synthetic periods (patrons, budgets, balances, creators, things, clicks) for tests and the benchmark.

``generate(...)`` describes a period; ``load(...)`` writes it into a settlement database:
budgets and commission terms into the read models, clicks and things into the close's
projection (with COPY), and the wallets' opening balances through the ledger as balanced
entries (``opening:<tag>:<n>``: provider clearing debited, many wallets credited) via
``post_entry``, so every invariant the database enforces still holds.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_settlement.commission import DEFAULT_COMMISSION_BPS
from trickle_settlement.ledger import chart
from trickle_settlement.ledger.posting import Leg, NewEntry, post_entry


def _id(prefix: str, tag: int, n: int) -> str:
    return f"{prefix}_{tag:08x}{n:024x}"


@dataclass(frozen=True)
class SyntheticPatron:
    patron_id: str
    enabled: bool
    budget: int
    min_per_click: int | None
    max_per_month: int | None
    balance: int


@dataclass(frozen=True)
class SyntheticThing:
    thing_id: str
    owner_id: str | None
    weight: int


@dataclass
class SyntheticPeriod:
    period: str
    currency: str
    tag: int
    seed: int
    patrons: list[SyntheticPatron]
    creators: list[tuple[str, bool]]
    things: list[SyntheticThing]
    click_counts: list[int]

    def clicks(self) -> Iterator[tuple[str, str, str, str, str | None, int, datetime]]:
        """(click_id, period, patron_id, thing_id, owner_id, weight, clicked_at), reproducibly."""
        rng = random.Random(self.seed * 7919 + 1)
        year, month = (int(p) for p in self.period.split("-"))
        start = datetime(year, month, 1, tzinfo=UTC)
        n = 0
        for patron, k in zip(self.patrons, self.click_counts, strict=True):
            for thing_index in rng.sample(range(len(self.things)), k):
                thing = self.things[thing_index]
                # Minutes apart at best: many clicks share a time, so the click-id tie-break matters.
                clicked_at = start + timedelta(minutes=rng.randrange(0, 28 * 24 * 60, 7))
                yield (
                    _id("clk", self.tag, n),
                    self.period,
                    patron.patron_id,
                    thing.thing_id,
                    thing.owner_id,
                    thing.weight,
                    clicked_at,
                )
                n += 1


def _click_counts(rng: random.Random, patrons: int, total: int, things: int) -> list[int]:
    """How many things each patron clicks: skewed (a few click a lot, 3 % none), summing to ``total``."""
    weights = [0.0 if rng.random() < 0.03 else rng.expovariate(1.0) for _ in range(patrons)]
    scale = total / (sum(weights) or 1.0)
    counts = [min(things, int(w * scale)) for w in weights]
    short = total - sum(counts)
    active = [i for i, w in enumerate(weights) if w > 0] or list(range(patrons))
    while short > 0:
        i = active[rng.randrange(len(active))]
        if counts[i] < things:
            counts[i] += 1
            short -= 1
    return counts


def generate(
    *,
    period: str,
    patrons: int,
    things: int,
    creators: int,
    clicks: int = 1_000,
    seed: int = 1,
    tag: int | None = None,
    currency: str = "EUR",
    non_profit_share: float = 0.05,
    unclaimed_share: float = 0.1,
) -> SyntheticPeriod:
    """A period whose patrons have varied budgets (some disabled, some with min/max per click/month)
    and balances (some short of their target, some empty)."""
    rng = random.Random(seed)
    tag = seed if tag is None else tag
    creator_list = [(_id("acct", tag, 1_000_000_000 + i), rng.random() < non_profit_share) for i in range(creators)]
    thing_list = [
        SyntheticThing(
            _id("thing", tag, i),
            None if rng.random() < unclaimed_share else creator_list[rng.randrange(creators)][0],
            rng.choice((1, 1, 1, 2, 3, 4, 5)),
        )
        for i in range(things)
    ]
    patron_list = []
    for i in range(patrons):
        budget = rng.choice((200, 300, 500, 1000, 2000))
        roll = rng.random()
        patron_list.append(
            SyntheticPatron(
                patron_id=_id("acct", tag, i),
                enabled=rng.random() > 0.02,
                budget=budget,
                min_per_click=rng.choice((10, 25, 50)) if roll < 0.2 else None,
                max_per_month=budget * rng.choice((1, 2, 3)) if roll < 0.3 else None,
                balance=0 if rng.random() < 0.03 else rng.choice((budget // 2, budget, budget * 3, budget * 12)),
            )
        )
    counts = _click_counts(rng, patrons, min(clicks, patrons * things), things)
    return SyntheticPeriod(period, currency, tag, seed, patron_list, creator_list, thing_list, counts)


async def _copy(session: AsyncSession, table: str, columns: list[str], records: Any) -> None:
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    await raw.driver_connection.copy_records_to_table(table, records=records, columns=columns)  # type: ignore[union-attr]


async def load(sessions: async_sessionmaker[AsyncSession], data: SyntheticPeriod, *, opening_chunk: int = 2_000) -> int:
    """Write ``data`` into the database; returns the number of clicks loaded."""
    now = datetime.now(UTC)
    async with sessions() as session, session.begin():
        await _copy(
            session,
            "patron_budgets",
            ["account_id", "enabled", "amount", "currency", "min_per_click", "max_per_month", "updated_at"],
            [
                (p.patron_id, p.enabled, p.budget, data.currency, p.min_per_click, p.max_per_month, now)
                for p in data.patrons
            ],
        )
        await _copy(
            session,
            "account_profiles",
            ["account_id", "currency", "non_profit", "commission_bps", "updated_at"],
            [(c, data.currency, np, 0 if np else DEFAULT_COMMISSION_BPS, now) for c, np in data.creators],
        )
        await _copy(
            session,
            "close_things",
            ["thing_id", "owner_id", "weight", "updated_at"],
            [(t.thing_id, t.owner_id, t.weight, now) for t in data.things],
        )
        clicks = list(data.clicks())
        await _copy(
            session,
            "close_clicks",
            ["click_id", "period", "patron_id", "thing_id", "owner_id", "weight", "clicked_at"],
            clicks,
        )
        await session.execute(
            text("INSERT INTO close_periods (period) VALUES (:p) ON CONFLICT DO NOTHING"), {"p": data.period}
        )
    funded = [p for p in data.patrons if p.balance > 0]
    clearing = chart.provider_clearing("synthetic", data.currency)
    for n, start in enumerate(range(0, len(funded), opening_chunk)):
        chunk = funded[start : start + opening_chunk]
        async with sessions() as session, session.begin():
            await post_entry(
                session,
                NewEntry(
                    idempotency_key=f"opening:{data.tag:08x}:{n}",
                    kind="opening_balance",
                    currency=data.currency,
                    legs=[
                        Leg(clearing, sum(p.balance for p in chunk)),
                        *(Leg(chart.patron_wallet(p.patron_id, data.currency), -p.balance) for p in chunk),
                    ],
                ),
            )
    return len(clicks)
