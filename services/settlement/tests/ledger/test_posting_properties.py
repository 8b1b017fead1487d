"""Property: whatever sequence of batches is posted, the ledger agrees with a plain model of it."""

from __future__ import annotations

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from trickle_settlement.ledger import chart
from trickle_settlement.ledger.errors import InsufficientFunds
from trickle_settlement.ledger.posting import Leg, NewEntry, post_entries

# A move: (from wallet index, to creator index, amount, commission).
moves = st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(1, 400), st.integers(0, 3))
batches = st.lists(st.lists(moves, min_size=1, max_size=6), min_size=1, max_size=6)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(deposits=st.lists(st.integers(0, 600), min_size=3, max_size=3), plan=batches)
async def test_balances_follow_the_model_and_never_go_negative(sessions, deposits: list[int], plan) -> None:  # type: ignore[no-untyped-def]
    run = uuid.uuid4().hex
    patrons = [f"acct_p{run}{i}" for i in range(3)]
    creators = [f"acct_c{run}{i}" for i in range(3)]
    model = {chart.patron_wallet(p, "EUR").id: 0 for p in patrons} | {
        chart.creator_earnings(c, "EUR").id: 0 for c in creators
    }
    funding = [
        NewEntry(
            idempotency_key=f"prop-open:{run}:{i}",
            kind="deposit",
            currency="EUR",
            legs=[Leg(chart.provider_clearing("prop", "EUR"), amount), Leg(chart.patron_wallet(p, "EUR"), -amount)],
        )
        for i, (p, amount) in enumerate(zip(patrons, deposits, strict=True))
        if amount
    ]
    if funding:
        async with sessions() as s, s.begin():
            await post_entries(s, funding)
        for p, amount in zip(patrons, deposits, strict=True):
            model[chart.patron_wallet(p, "EUR").id] += amount

    for b, batch in enumerate(plan):
        entries, trial = [], dict(model)
        overdrawn = False
        for m, (sender, recipient, amount, commission) in enumerate(batch):
            wallet = chart.patron_wallet(patrons[sender], "EUR")
            earnings = chart.creator_earnings(creators[recipient], "EUR")
            k = min(commission, amount - 1)
            legs = [Leg(wallet, amount), Leg(earnings, -(amount - k))]
            if k:
                legs.append(Leg(chart.platform_commission("EUR"), -k))
            entries.append(NewEntry(idempotency_key=f"prop:{run}:{b}:{m}", kind="transfer", currency="EUR", legs=legs))
            trial[wallet.id] -= amount
            trial[earnings.id] += amount - k
            overdrawn = overdrawn or trial[wallet.id] < 0
        try:
            async with sessions() as s, s.begin():
                await post_entries(s, entries)
        except InsufficientFunds:
            assert overdrawn, "refused a batch the model says is covered"
            continue
        assert not overdrawn, "posted a batch that overdraws a wallet"
        model = trial

    async with sessions() as s:
        rows = dict(
            (
                await s.execute(
                    text("SELECT account_id, balance FROM ledger_balances WHERE account_id = ANY(:ids)"),
                    {"ids": list(model)},
                )
            ).all()
        )
        recomputed = dict(
            (
                await s.execute(
                    text(
                        "SELECT p.account_id, -sum(p.amount) FROM postings p "
                        "WHERE p.account_id = ANY(:ids) GROUP BY p.account_id"
                    ),
                    {"ids": list(model)},
                )
            ).all()
        )
    assert {a: rows.get(a, 0) for a in model} == model
    assert {a: int(recomputed.get(a, 0)) for a in model} == model
    assert min(model.values()) >= 0
