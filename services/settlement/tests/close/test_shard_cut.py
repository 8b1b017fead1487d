"""A close's patrons are cut into shards of about equal patron counts, each of at least the batch size."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import text

from trickle_settlement.close import repository

CLICK = text(
    "INSERT INTO close_clicks (click_id, period, patron_id, thing_id, weight, clicked_at, revoked_at) "
    "VALUES (:c, :period, :p, 'thing', 1, :at, :revoked)"
)


async def _cut(sessions, period: str, after: str, shards: int, min_patrons: int):  # type: ignore[no-untyped-def]
    async with sessions() as s, s.begin():
        count, patrons = await repository.cut_shards(s, period, after, shards, min_patrons)
        rows = await s.execute(
            text('SELECT "after", upto FROM close_shards WHERE period = :p ORDER BY shard'), {"p": period}
        )
        bounds = [tuple(r) for r in rows]
        await s.execute(text("DELETE FROM close_shards WHERE period = :p"), {"p": period})
    assert count == len(bounds)
    return patrons, bounds


async def test_patrons_are_counted_and_cut_at_equal_counts(sessions) -> None:  # type: ignore[no-untyped-def]
    period = f"9{uuid.uuid4().int % 1000:03d}-01"
    now = datetime.now(UTC)
    patrons = [f"acct_{n:02d}" for n in range(12)]
    async with sessions() as s, s.begin():
        for n, patron in enumerate(patrons):
            for _ in range(1 + n % 3):  # several clicks of one patron count once
                click = {"c": uuid.uuid4().hex, "period": period, "p": patron, "at": now, "revoked": None}
                await s.execute(CLICK, click)
        # A patron whose only click was revoked is not walked.
        await s.execute(CLICK, {"c": uuid.uuid4().hex, "period": period, "p": "acct_99", "at": now, "revoked": now})

    # 12 patrons, 3 shards of at least 2: cut at the 1/3 and 2/3 patrons.
    assert await _cut(sessions, period, "", 3, 2) == (
        12,
        [("", "acct_03"), ("acct_03", "acct_07"), ("acct_07", None)],
    )
    # Fewer shards when they would hold fewer patrons than the minimum: 12 // 5 = 2.
    assert await _cut(sessions, period, "", 8, 5) == (12, [("", "acct_05"), ("acct_05", None)])
    # One shard when there are too few patrons; a resumed close counts what is after its cursor.
    assert await _cut(sessions, period, "acct_09", 4, 1) == (2, [("acct_09", "acct_10"), ("acct_10", None)])
    assert await _cut(sessions, period, "", 4, 100) == (12, [("", None)])
    # A period without clicks still gets its one shard.
    assert await _cut(sessions, f"{period[:4]}-02", "", 4, 1) == (0, [("", None)])


async def test_the_cut_sorts_in_memory_for_its_transaction_only(sessions) -> None:  # type: ignore[no-untyped-def]
    period = f"9{uuid.uuid4().int % 1000:03d}-03"
    async with sessions() as s:
        async with s.begin():
            default = (await s.execute(text("SHOW work_mem"))).scalar_one()
            assert default != repository.PERIOD_SCAN_WORK_MEM  # or this test could not tell
            await repository.cut_shards(s, period, "", 2, 1)
            assert (await s.execute(text("SHOW work_mem"))).scalar_one() == repository.PERIOD_SCAN_WORK_MEM
            await s.execute(text("DELETE FROM close_shards WHERE period = :p"), {"p": period})
        async with s.begin():  # the same connection, the next transaction: back to the server's setting
            assert (await s.execute(text("SHOW work_mem"))).scalar_one() == default
