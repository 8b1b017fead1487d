"""What each of this month's clicks would get if the month closed now: the settlement's own split
(``trickle_settlement.split``, pure, no I/O: the very function the close runs) fed with what the
API shows the patron (their clicks, budget and wallet balance). Gross amounts: the creator is
credited this less the platform's commission (the patron pays the gross either way)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from trickle_settlement.split import Budget, SplitClick, split_budget


@dataclass(frozen=True)
class Preview:
    target: int  # what the budget would spend (T)
    spend: int  # what the wallet can pay of it (S = min(T, A))
    shares: dict[str, int]  # click id → gross share in minor units


def money_amount(value: Any) -> int | None:
    """The minor units of a Money (the client's model), None when unset."""
    amount = getattr(value, "amount", None)
    return int(amount) if isinstance(amount, int) else None


def preview(clicks: Iterable[Any], budget: Any, available: int) -> Preview:
    """The split of ``available`` under ``budget`` (the client's Budget model, or None: no budget)
    among ``clicks`` (the client's Click models) as the close would post it now."""
    split_clicks = [
        SplitClick(
            click_id=c.id,
            thing_id=c.thing_id,
            weight=int(c.weight),
            clicked_at=c.created_at,
            recipient_id=c.owner_id if isinstance(c.owner_id, str) else None,
        )
        for c in clicks
    ]
    enabled = budget is not None and bool(budget.enabled)
    rules = Budget(
        amount=(money_amount(budget.amount) or 0) if enabled else 0,
        available=max(available, 0),
        min_per_click=(money_amount(budget.min_per_click) or 0) if enabled else 0,
        max_per_month=money_amount(budget.max_per_month) if enabled else None,
    )
    outcome = split_budget(split_clicks, rules)
    return Preview(target=outcome.target, spend=outcome.spend, shares={s.click_id: s.gross for s in outcome.shares})
