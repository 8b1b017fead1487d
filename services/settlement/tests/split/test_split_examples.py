"""Worked examples of the monthly split (SPEC section 5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from trickle_settlement.split import Budget, SplitClick, SplitError, commission_of, split_budget

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def click(i: int, *, weight: int = 1, recipient: str | None = "acct_creator", thing: str | None = None) -> SplitClick:
    return SplitClick(
        click_id=f"clk_{i:04d}",
        thing_id=thing or f"thing_{i:04d}",
        weight=weight,
        clicked_at=T0 + timedelta(minutes=i),
        recipient_id=recipient,
    )


def test_twenty_clicks_share_a_two_euro_budget_equally() -> None:
    clicks = [click(i, recipient=f"acct_{i}") for i in range(20)]
    split = split_budget(clicks, Budget(amount=200, available=10_000))
    assert split.spend == 200
    assert [s.gross for s in split.shares] == [10] * 20


def test_three_clicks_on_one_euro_give_the_extra_cent_to_the_earliest_click() -> None:
    # Given in reverse order on purpose: the earliest click still wins the tie.
    clicks = [click(3, recipient="acct_c"), click(2, recipient="acct_b"), click(1, recipient="acct_a")]
    split = split_budget(clicks, Budget(amount=100, available=10_000))
    by_click = {s.click_id: s.gross for s in split.shares}
    assert by_click == {"clk_0001": 34, "clk_0002": 33, "clk_0003": 33}


def test_equal_click_times_break_the_tie_by_click_id() -> None:
    same_time = T0
    clicks = [
        SplitClick("clk_b", "thing_1", 1, same_time, "acct_x"),
        SplitClick("clk_a", "thing_2", 1, same_time, "acct_y"),
        SplitClick("clk_c", "thing_3", 1, same_time, "acct_z"),
    ]
    split = split_budget(clicks, Budget(amount=200, available=200))
    assert {s.click_id: s.gross for s in split.shares} == {"clk_a": 67, "clk_b": 67, "clk_c": 66}


def test_largest_remainder_beats_click_time() -> None:
    # S=100, weights 1,1,3 (W=5): exact 20,20,60 — no remainder; make it 101: 20.2, 20.2, 60.6.
    clicks = [click(1, recipient="acct_a"), click(2, recipient="acct_b"), click(3, weight=3, recipient="acct_c")]
    split = split_budget(clicks, Budget(amount=101, available=101))
    assert [s.gross for s in split.shares] == [20, 20, 61]


def test_commission_is_ten_percent_by_default_and_zero_for_a_non_profit() -> None:
    clicks = [click(1, recipient="acct_creator"), click(2, recipient="acct_charity")]
    split = split_budget(clicks, Budget(amount=200, available=200), {"acct_charity": 0})
    credits = {c.recipient_id: (c.gross, c.commission, c.net) for c in split.credits}
    assert credits == {"acct_creator": (100, 10, 90), "acct_charity": (100, 0, 100)}
    assert split.commission == 10


def test_commission_on_a_25_cent_gross_rounds_half_to_even() -> None:
    assert commission_of(25, 1000) == 2  # 2.5 → 2
    assert commission_of(35, 1000) == 4  # 3.5 → 4
    assert commission_of(15, 1000) == 2  # 1.5 → 2
    clicks = [click(i, recipient="acct_one" if i < 5 else f"acct_{i}") for i in range(8)]
    split = split_budget(clicks, Budget(amount=200, available=200))
    one = next(c for c in split.credits if c.recipient_id == "acct_one")
    assert (one.gross, one.commission, one.net) == (125, 12, 113)  # 12.5 → 12
    quarter = split_budget([click(1)], Budget(amount=25, available=25))
    assert quarter.credits[0].commission == 2


def test_shares_of_one_creator_are_grouped_before_commission() -> None:
    # Three shares of 5 ct: 0.5 ct commission each would round to 0 three times; grouped 15 ct → 2 ct.
    clicks = [click(i, recipient="acct_same") for i in range(3)]
    split = split_budget(clicks, Budget(amount=15, available=15))
    assert len(split.credits) == 1
    assert (split.credits[0].gross, split.credits[0].commission) == (15, 2)


def test_nothing_clicked_rolls_the_budget_over() -> None:
    split = split_budget([], Budget(amount=500, available=1_000))
    assert split.spend == 0 and split.shares == () and split.credits == ()


def test_an_empty_wallet_rolls_over() -> None:
    split = split_budget([click(1)], Budget(amount=500, available=0))
    assert split.spend == 0 and split.shares == ()


def test_a_disabled_budget_moves_no_money() -> None:
    split = split_budget([click(1)], Budget(amount=0, available=1_000, min_per_click=10))
    assert split.spend == 0


def test_spend_is_capped_by_the_available_balance() -> None:
    split = split_budget([click(1), click(2)], Budget(amount=500, available=301))
    assert split.spend == 301
    assert sorted(s.gross for s in split.shares) == [150, 151]


def test_weight_five_takes_five_parts() -> None:
    clicks = [click(1, weight=5, recipient="acct_video"), click(2, recipient="acct_post")]
    split = split_budget(clicks, Budget(amount=600, available=600))
    assert {s.recipient_id: s.gross for s in split.shares} == {"acct_video": 500, "acct_post": 100}


def test_min_per_click_raises_the_spend_up_to_max_per_month() -> None:
    clicks = [click(i, recipient=f"acct_{i}") for i in range(30)]
    raised = split_budget(clicks, Budget(amount=200, available=10_000, min_per_click=10, max_per_month=1_000))
    assert raised.target == 300 and raised.spend == 300
    capped = split_budget(clicks, Budget(amount=200, available=10_000, min_per_click=50, max_per_month=1_000))
    assert capped.target == 1_000
    unset_max = split_budget(clicks, Budget(amount=200, available=10_000, min_per_click=50))
    assert unset_max.target == 200


def test_unclaimed_things_go_gross_to_escrow() -> None:
    clicks = [click(1, recipient=None, thing="thing_unclaimed"), click(2, recipient="acct_a")]
    split = split_budget(clicks, Budget(amount=200, available=200))
    assert [(e.thing_id, e.gross) for e in split.escrows] == [("thing_unclaimed", 100)]
    assert split.credits[0].gross == 100 and split.commission == 10


def test_two_clicks_on_one_thing_are_refused() -> None:
    with pytest.raises(SplitError):
        split_budget([click(1, thing="thing_x"), click(2, thing="thing_x")], Budget(amount=200, available=200))
