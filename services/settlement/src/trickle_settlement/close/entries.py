"""What a close writes for one patron: the settlement entry and the ``settlement.patron.settled`` event."""

from __future__ import annotations

from trickle_events.settlement import PatronSettled, Share
from trickle_kit.ids import new_id
from trickle_kit.money import Money
from trickle_settlement import staged
from trickle_settlement.ledger import chart
from trickle_settlement.ledger.chart import AccountRef
from trickle_settlement.ledger.journal import Leg, NewEntry
from trickle_settlement.split import Split


def settlement_entry(
    period: str, patron_id: str, split: Split, currency: str, wallet: AccountRef | None = None
) -> NewEntry:
    """The patron's one entry: debit the wallet S; credit creators g − k, the platform k, escrows.
    ``wallet``: the patron's wallet in ``currency`` when the caller has it already.

    Its id is drawn here, so that its event can be staged before it is posted (``entry_id``)."""
    if wallet is None:
        wallet = chart.patron_wallet(patron_id, currency)
    elif (wallet.kind, wallet.owner_id, wallet.currency) != ("patron_wallet", patron_id, currency):
        raise ValueError(f"{wallet.id} is not {patron_id}'s wallet in {currency}")
    legs = [Leg(wallet, split.spend)]
    legs += [Leg(chart.creator_earnings(c.recipient_id, currency), -c.net) for c in split.credits]
    if split.commission:
        legs.append(Leg(chart.platform_commission(currency), -split.commission))
    legs += [Leg(chart.escrow(e.thing_id, currency), -e.gross) for e in split.escrows]
    return NewEntry(
        idempotency_key=f"settle:{period}:{patron_id}",
        kind="settlement",
        currency=currency,
        legs=legs,
        reference=f"{period}:{patron_id}",
        period=period,
        entry_id=new_id("je"),
    )


def patron_settled_event(period: str, patron_id: str, entry_id: str, split: Split, currency: str) -> PatronSettled:
    return PatronSettled(
        period=period,
        patron_id=patron_id,
        entry_id=entry_id,
        spent=Money(amount=split.spend, currency=currency),
        shares=[
            Share(thing_id=s.thing_id, click_id=s.click_id, recipient_id=s.recipient_id, gross=s.gross)
            for s in split.shares
        ],
        recipient_ids=[c.recipient_id for c in split.credits],
    )


def staged_patron_settled(
    period: str, patron_id: str, entry_id: str, split: Split, currency: str
) -> staged.StagedPatronSettled:
    """``patron_settled_event`` with its payload built directly (the close's bulk path)."""
    return staged.patron_settled(
        period=period,
        patron_id=patron_id,
        entry_id=entry_id,
        spent=split.spend,
        currency=currency,
        shares=split.shares,
        recipient_ids=[c.recipient_id for c in split.credits],
    )
