"""Properties of the monthly split that hold for every input (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from trickle_settlement.split import Budget, SplitClick, split_budget

T0 = datetime(2026, 11, 1, tzinfo=UTC)
RECIPIENTS = [None, "acct_a", "acct_b", "acct_c", "acct_np"]


@st.composite
def clicks_strategy(draw: st.DrawFn) -> list[SplitClick]:
    n = draw(st.integers(min_value=0, max_value=40))
    clicks = []
    for i in range(n):
        clicks.append(
            SplitClick(
                click_id=f"clk_{draw(st.integers(0, 10**6)):07d}_{i}",
                thing_id=f"thing_{i}",
                weight=draw(st.integers(min_value=1, max_value=100)),
                # Few distinct minutes: plenty of ties on time.
                clicked_at=T0 + timedelta(minutes=draw(st.integers(0, 5))),
                recipient_id=draw(st.sampled_from(RECIPIENTS)),
            )
        )
    return clicks


@st.composite
def budget_strategy(draw: st.DrawFn) -> Budget:
    amount = draw(st.one_of(st.just(0), st.integers(min_value=200, max_value=100_000)))
    max_per_month = draw(st.one_of(st.none(), st.integers(min_value=amount, max_value=amount + 200_000)))
    return Budget(
        amount=amount,
        available=draw(st.integers(min_value=0, max_value=300_000)),
        min_per_click=draw(st.one_of(st.just(0), st.integers(min_value=1, max_value=1_000))),
        max_per_month=max_per_month,
    )


RATES = {"acct_a": 1000, "acct_b": 250, "acct_c": 1234, "acct_np": 0}


@settings(max_examples=300, deadline=None)
@given(clicks_strategy(), budget_strategy())
def test_shares_sum_to_exactly_the_spend_and_none_is_negative(clicks: list[SplitClick], budget: Budget) -> None:
    split = split_budget(clicks, budget, RATES)
    assert all(s.gross >= 0 for s in split.shares)
    assert sum(s.gross for s in split.shares) == split.spend
    # What is posted balances: creators' net + commission + escrow = spend.
    assert sum(c.net for c in split.credits) + split.commission + split.escrow == split.spend
    assert all(c.commission >= 0 and c.net >= 0 for c in split.credits)


@settings(max_examples=300, deadline=None)
@given(clicks_strategy(), budget_strategy())
def test_each_share_is_within_one_cent_of_its_exact_proportion(clicks: list[SplitClick], budget: Budget) -> None:
    split = split_budget(clicks, budget, RATES)
    if split.spend == 0:
        return
    weights = {c.click_id: c.weight for c in clicks}
    total = sum(weights.values())
    for share in split.shares:
        exact = Fraction(split.spend * weights[share.click_id], total)
        assert abs(share.gross - exact) < 1


@settings(max_examples=300, deadline=None)
@given(clicks_strategy(), budget_strategy())
def test_spend_follows_min_per_click_max_per_month_and_the_balance(clicks: list[SplitClick], budget: Budget) -> None:
    split = split_budget(clicks, budget, RATES)
    total = sum(c.weight for c in clicks)
    ceiling = budget.amount if budget.max_per_month is None else budget.max_per_month
    if clicks and budget.amount > 0:
        assert split.target == min(max(budget.amount, total * budget.min_per_click), ceiling)
        assert split.spend == min(split.target, budget.available)
    else:
        assert split.spend == 0
    assert split.spend <= budget.available
    assert split.spend <= ceiling


@settings(max_examples=200, deadline=None)
@given(clicks_strategy(), budget_strategy(), st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_the_order_of_the_clicks(
    clicks: list[SplitClick], budget: Budget, rnd: object
) -> None:
    shuffled = list(clicks)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert split_budget(shuffled, budget, RATES) == split_budget(clicks, budget, RATES)


@settings(max_examples=200, deadline=None)
@given(clicks_strategy(), budget_strategy())
def test_commission_is_the_grouped_gross_times_the_rate_rounded_half_even(
    clicks: list[SplitClick], budget: Budget
) -> None:
    split = split_budget(clicks, budget, RATES)
    for credit in split.credits:
        gross = sum(s.gross for s in split.shares if s.recipient_id == credit.recipient_id)
        assert credit.gross == gross
        exact = Fraction(gross * RATES[credit.recipient_id], 10_000)
        assert abs(credit.commission - exact) <= Fraction(1, 2)
        if abs(credit.commission - exact) == Fraction(1, 2):
            assert credit.commission % 2 == 0
