"""The kinds of ledger account, listed once: the ledger's chart and tables, its events, its API and the
wallet's balances all name kinds from here."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, get_args


class LedgerAccountKind(StrEnum):
    """What a ledger account is for. Per-owner kinds are named ``<kind>:<owner>`` in the ledger."""

    PATRON_WALLET = "patron_wallet"
    CREATOR_EARNINGS = "creator_earnings"
    ESCROW = "escrow"
    PAYOUTS_IN_TRANSIT = "payouts_in_transit"
    PLATFORM_COMMISSION = "platform_commission"
    PROVIDER_CLEARING = "provider_clearing"
    PROVIDER_FEES = "provider_fees"

    def __repr__(self) -> str:
        # As its value: validation messages read ``'patron_wallet'``, as they did for plain strings.
        return repr(self.value)


# Kinds owned by a Trickle account (``acct_…``): their holder may read them.
HolderKind = Literal[
    LedgerAccountKind.PATRON_WALLET,
    LedgerAccountKind.CREATOR_EARNINGS,
    LedgerAccountKind.PAYOUTS_IN_TRANSIT,
]
HOLDER_KINDS: tuple[LedgerAccountKind, ...] = get_args(HolderKind)

# Kinds whose balance is money the platform owes a user: never negative.
USER_LIABILITY_KINDS: tuple[LedgerAccountKind, ...] = (
    LedgerAccountKind.PATRON_WALLET,
    LedgerAccountKind.CREATOR_EARNINGS,
    LedgerAccountKind.ESCROW,
    LedgerAccountKind.PAYOUTS_IN_TRANSIT,
)


def kind_values(kinds: tuple[LedgerAccountKind, ...] | None = None) -> tuple[str, ...]:
    """The kinds as plain strings (all of them by default), e.g. for a SQL ``IN`` list."""
    return tuple(k.value for k in (kinds if kinds is not None else tuple(LedgerAccountKind)))
