"""The click room's own statements: the one click insert and the look-ups of the one-click path.

Other packages do not import this module: they write clicks through ``clicks.batcher`` and
read them through ``clicks.queries``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import asyncpg
from sqlalchemy import DateTime, SmallInteger, String, bindparam, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_click_ledger.models import Click
from trickle_kit.db import DriverStatement


@dataclass(frozen=True, slots=True)
class NewClick:
    """A click to insert: its id, patron, thing, partition, time and (automatic clicks) subscription."""

    id: str
    patron_id: str
    thing_id: str
    partition: int
    created_at: datetime
    subscription_id: str | None = None
    # (traceparent, tracestate) of the request or task that made the click: its event continues that
    # trace, also when a group-commit batch writes it (trickle_kit.tracing; (None, None) when off).
    trace_context: tuple[str | None, str | None] = (None, None)


class InsertedClick(NamedTuple):
    """A click as the insert below returned it (its ``RETURNING`` columns, in that order).

    A plain row rather than an ORM ``Click``: the inserted clicks are never changed in the
    transaction that wrote them, only answered and turned into events, and an ORM instance
    (its attributes instrumented) cost ~15 µs to build per click against ~0.4 µs for this.
    """

    id: str
    patron_id: str
    thing_id: str
    period: str
    partition: int
    owner_id: str | None
    weight: int
    public: bool
    subscription_id: str | None
    created_at: datetime
    revoked_at: datetime | None


# The only statement that inserts clicks, for many (a group-commit batch) or one: each row goes
# into the open period with the thing's owner and weight and the patron's privacy choice
# copied. Rows whose thing is missing or the patron's own, that repeat a live click, or that
# find no open period are simply not returned; the one-click path finds out why.
_INSERT_MANY_IN_OPEN_PERIOD = text(
    """
    INSERT INTO clicks (id, patron_id, thing_id, period, partition, owner_id, weight, public, subscription_id,
                        created_at)
    SELECT r.id, r.patron_id, t.id, p.id, r.partition, t.owner_id, t.weight, coalesce(a.giving_public, false),
           r.subscription_id, r.created_at
      FROM unnest(:ids, :patrons, :things, :partitions, :created, :subscriptions) WITH ORDINALITY
           AS r(id, patron_id, thing_id, partition, created_at, subscription_id, ord)
      JOIN things t ON t.id = r.thing_id AND t.owner_id IS DISTINCT FROM r.patron_id
      JOIN periods p ON p.state = 'open'
      LEFT JOIN accounts a ON a.id = r.patron_id
     WHERE a.suspended IS NOT TRUE  -- a suspended (or deleted) patron clicks nothing; unknown ones may
     ORDER BY r.ord
    ON CONFLICT (patron_id, thing_id, period) WHERE revoked_at IS NULL DO NOTHING
    RETURNING id, patron_id, thing_id, period, partition, owner_id, weight, public, subscription_id, created_at,
              revoked_at  -- InsertedClick's fields, in its order
    """
).bindparams(
    bindparam("ids", type_=ARRAY(String)),
    bindparam("patrons", type_=ARRAY(String)),
    bindparam("things", type_=ARRAY(String)),
    bindparam("partitions", type_=ARRAY(SmallInteger)),
    bindparam("created", type_=ARRAY(DateTime(timezone=True))),
    bindparam("subscriptions", type_=ARRAY(String)),
)
_INSERT_MANY_ON_DRIVER = DriverStatement(_INSERT_MANY_IN_OPEN_PERIOD)


async def insert_many_in_open_period(session: AsyncSession, clicks: Sequence[NewClick]) -> list[InsertedClick]:
    """Insert ``clicks`` into the open period in one statement; the inserted ones, as inserted.

    The caller holds the calendar lock, taken in an earlier statement of the transaction, so
    this statement's snapshot is younger than any seal that finished while it waited.
    """
    rows = (await session.execute(_INSERT_MANY_IN_OPEN_PERIOD, _insert_params(clicks))).all()
    return [InsertedClick(*row) for row in rows]


async def insert_many_in_open_period_on(
    connection: asyncpg.Connection, clicks: Sequence[NewClick]
) -> list[InsertedClick]:
    """``insert_many_in_open_period`` on the driver's connection (the click batcher's transactions)."""
    rows = await _INSERT_MANY_ON_DRIVER.fetch(connection, _insert_params(clicks))
    return [InsertedClick(*row) for row in rows]


def _insert_params(clicks: Sequence[NewClick]) -> dict[str, list[Any]]:
    return {
        "ids": [c.id for c in clicks],
        "patrons": [c.patron_id for c in clicks],
        "things": [c.thing_id for c in clicks],
        "partitions": [c.partition for c in clicks],
        "created": [c.created_at for c in clicks],
        "subscriptions": [c.subscription_id for c in clicks],
    }


async def live_click(session: AsyncSession, patron_id: str, thing_id: str, period: str) -> Click | None:
    stmt = select(Click).where(
        Click.patron_id == patron_id, Click.thing_id == thing_id, Click.period == period, Click.revoked_at.is_(None)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def get(session: AsyncSession, click_id: str, *, for_update: bool = False) -> Click | None:
    stmt = select(Click).where(Click.id == click_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()
