"""The monthly split of one patron's budget among their clicks (SPEC section 5), as a pure function.

No I/O: the close feeds it the patron's clicks, budget and balance and posts what it returns.
All amounts are integer minor units of one currency.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import NamedTuple

from trickle_settlement.commission import BPS, DEFAULT_COMMISSION_BPS, commission_of

__all__ = [
    "BPS",
    "DEFAULT_COMMISSION_BPS",
    "Budget",
    "Split",
    "SplitClick",
    "SplitError",
    "commission_of",
    "split_budget",
]


class SplitClick(NamedTuple):
    """One click of the patron in the period. ``recipient_id`` None: the thing is unclaimed.

    Named tuples, this and ``ClickShare``: a close makes a million of each, and a frozen
    dataclass's ``__init__`` cost several times a tuple's (~1.5 s of a close's CPU)."""

    click_id: str
    thing_id: str
    weight: int
    clicked_at: datetime
    recipient_id: str | None


@dataclass(frozen=True, slots=True)
class Budget:
    """What the patron allows: B, optional m (``min_per_click``) and M (``max_per_month``), and A."""

    amount: int
    available: int
    min_per_click: int = 0
    max_per_month: int | None = None


class ClickShare(NamedTuple):
    click_id: str
    thing_id: str
    recipient_id: str | None
    gross: int


class CreatorCredit(NamedTuple):
    """What one receiving creator gets: ``net`` = ``gross`` − ``commission`` (named tuples, this and
    ``EscrowCredit``, for ``SplitClick``'s reason)."""

    recipient_id: str
    gross: int
    commission: int
    commission_bps: int

    @property
    def net(self) -> int:
        return self.gross - self.commission


class EscrowCredit(NamedTuple):
    """A share for an unclaimed thing, held gross in the thing's escrow."""

    thing_id: str
    gross: int


@dataclass(frozen=True, slots=True)
class Split:
    """The outcome for one patron; ``spend`` 0 means nothing is posted (roll-over)."""

    target: int
    spend: int
    shares: tuple[ClickShare, ...]
    credits: tuple[CreatorCredit, ...]
    escrows: tuple[EscrowCredit, ...]

    @property
    def commission(self) -> int:
        return sum(c.commission for c in self.credits)

    @property
    def escrow(self) -> int:
        return sum(e.gross for e in self.escrows)


class SplitError(ValueError):
    """The input breaks the split's preconditions (e.g. two clicks on one thing)."""


def target_amount(budget: Budget, total_weight: int) -> int:
    """T = min(max(B, W × m), M), with M = B when unset; a budget of 0 means disabled: T = 0."""
    if budget.amount <= 0:
        return 0
    ceiling = budget.amount if budget.max_per_month is None else budget.max_per_month
    return min(max(budget.amount, total_weight * budget.min_per_click), ceiling)


def largest_remainder(spend: int, clicks: list[SplitClick]) -> list[int]:
    """Whole-cent shares of ``spend`` in proportion to the weights (clicks in canonical order).

    Each click gets floor(S × wi / W); the cents left over go one each to the largest
    remainders, ties broken by earlier click time, then by click id.
    """
    weights = [c.weight for c in clicks]
    return _whole_shares(spend, weights, sum(weights))


# Sort keys: a SplitClick's (clicked_at, click_id), the canonical order; a ClickShare's and an
# EscrowCredit's first field (click_id, thing_id).
_CANONICAL = itemgetter(3, 0)
_FIRST = itemgetter(0)

# ``commission_of`` by (gross, rate in bps): a close computes a million commissions (exact decimal
# arithmetic, a microsecond each) over a few thousand distinct pairs.
_COMMISSIONS: dict[tuple[int, int], int] = {}


def _whole_shares(spend: int, weights: list[int], total_weight: int) -> list[int]:
    """``largest_remainder`` on the clicks' weights, in the clicks' canonical order: a stable sort keeps
    that order among equal remainders, which is the tie-break (time, then id)."""
    shares = [spend * w // total_weight for w in weights]
    left = spend - sum(shares)
    if left:
        remainders = [spend * w % total_weight for w in weights]
        for i in sorted(range(len(weights)), key=remainders.__getitem__, reverse=True)[:left]:
            shares[i] += 1
    return shares


def split_budget(
    clicks: Iterable[SplitClick],
    budget: Budget,
    commission_bps: Mapping[str, int] | None = None,
) -> Split:
    """Split one patron's spend for a period among ``clicks`` (any order; the result does not depend on it).

    ``commission_bps`` maps a recipient to its rate in basis points (non-profits 0);
    recipients absent from it pay ``DEFAULT_COMMISSION_BPS``.
    """
    ordered = sorted(clicks, key=_CANONICAL)
    if len({c.thing_id for c in ordered}) != len(ordered):
        raise SplitError("a patron has at most one click per thing and period")
    weights = [c.weight for c in ordered]
    if weights and min(weights) < 1:
        c = next(c for c in ordered if c.weight < 1)
        raise SplitError(f"click {c.click_id} has weight {c.weight}; weights are ≥ 1")
    if budget.amount < 0 or budget.min_per_click < 0 or budget.available < 0:
        raise SplitError("budget, min_per_click and available balance are never negative")
    if budget.max_per_month is not None and budget.max_per_month < budget.amount:
        raise SplitError("max_per_month is at least the budget")
    total_weight = sum(weights)
    target = target_amount(budget, total_weight) if ordered else 0
    spend = min(target, budget.available)
    if not ordered or spend <= 0:
        return Split(target=target, spend=0, shares=(), credits=(), escrows=())

    amounts = _whole_shares(spend, weights, total_weight)
    shares = tuple(
        sorted(
            [ClickShare(c.click_id, c.thing_id, c.recipient_id, g) for c, g in zip(ordered, amounts, strict=True)],
            key=_FIRST,
        )
    )
    gross_by_recipient: dict[str, int] = {}
    escrows: list[EscrowCredit] = []
    for _, thing_id, recipient_id, gross in shares:
        if gross == 0:
            continue
        if recipient_id is None:
            escrows.append(EscrowCredit(thing_id, gross))
        else:
            gross_by_recipient[recipient_id] = gross_by_recipient.get(recipient_id, 0) + gross
    rates = commission_bps or {}
    credits = []
    for recipient, gross in sorted(gross_by_recipient.items()):
        bps = rates.get(recipient, DEFAULT_COMMISSION_BPS)
        if not 0 <= bps <= BPS:
            raise SplitError(f"commission rate of {recipient} is {bps} bps; rates are 0..{BPS}")
        commission = _COMMISSIONS.get((gross, bps))
        if commission is None:
            if len(_COMMISSIONS) >= 1 << 16:
                _COMMISSIONS.clear()
            commission = _COMMISSIONS[gross, bps] = commission_of(gross, bps)
        credits.append(CreatorCredit(recipient, gross, commission, bps))
    return Split(
        target=target,
        spend=spend,
        shares=shares,
        credits=tuple(credits),
        escrows=tuple(sorted(escrows, key=_FIRST)),
    )
