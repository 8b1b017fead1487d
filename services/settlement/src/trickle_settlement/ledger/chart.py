"""The chart of accounts: how a ledger account is named, its kind and its type.

Names are ``<kind>:<owner>`` for per-owner accounts (``patron_wallet:acct_…``,
``escrow:thing_…``, ``provider_clearing:sandbox``) and the bare kind for the platform's
own (``platform_commission``). One currency per account.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from trickle_events.ledger_accounts import HOLDER_KINDS, USER_LIABILITY_KINDS, LedgerAccountKind

K = LedgerAccountKind

# kind -> account type. Liabilities and revenue are credit-normal, assets and expenses debit-normal.
ACCOUNT_TYPE_OF_KIND: dict[LedgerAccountKind, str] = {
    K.PATRON_WALLET: "liability",
    K.CREATOR_EARNINGS: "liability",
    K.ESCROW: "liability",
    K.PAYOUTS_IN_TRANSIT: "liability",
    K.PLATFORM_COMMISSION: "revenue",
    K.PROVIDER_CLEARING: "asset",
    # What a provider keeps of the gross it collected (the patron's fee), owed to it.
    K.PROVIDER_FEES: "liability",
}
assert set(ACCOUNT_TYPE_OF_KIND) == set(LedgerAccountKind), "every kind of account has a type"


@dataclass(frozen=True)
class AccountRef:
    """A ledger account as a poster names it; created on first use."""

    id: str
    kind: LedgerAccountKind
    owner_id: str | None
    currency: str

    @property
    def type(self) -> str:
        return ACCOUNT_TYPE_OF_KIND[self.kind]

    @property
    def normal_sign(self) -> int:
        """+1 when a debit increases the balance (assets, expenses), -1 otherwise."""
        return 1 if self.type in ("asset", "expense") else -1

    @property
    def non_negative(self) -> bool:
        return self.kind in USER_LIABILITY_KINDS


def _owned(kind: LedgerAccountKind, owner: str, currency: str) -> AccountRef:
    return AccountRef(id=f"{kind}:{owner}", kind=kind, owner_id=owner, currency=currency)


def patron_wallet(account_id: str, currency: str) -> AccountRef:
    return _owned(K.PATRON_WALLET, account_id, currency)


# Immutable, so shared: a close names the same creators' and things' accounts hundreds of
# thousands of times. One cache per kind: with one for all, a close's 100,000 patron wallets
# (each named about twice) pushed the creators out of it before they were named again.
@lru_cache(maxsize=1 << 16)
def creator_earnings(account_id: str, currency: str) -> AccountRef:
    return _owned(K.CREATOR_EARNINGS, account_id, currency)


def payouts_in_transit(account_id: str, currency: str) -> AccountRef:
    return _owned(K.PAYOUTS_IN_TRANSIT, account_id, currency)


@lru_cache(maxsize=1 << 16)
def escrow(thing_id: str, currency: str) -> AccountRef:
    return _owned(K.ESCROW, thing_id, currency)


def provider_clearing(provider: str, currency: str) -> AccountRef:
    return _owned(K.PROVIDER_CLEARING, provider, currency)


def provider_fees(provider: str, currency: str) -> AccountRef:
    return _owned(K.PROVIDER_FEES, provider, currency)


@lru_cache(maxsize=16)  # one per currency: named in nearly every settlement entry
def platform_commission(currency: str) -> AccountRef:
    return AccountRef(id=K.PLATFORM_COMMISSION.value, kind=K.PLATFORM_COMMISSION, owner_id=None, currency=currency)


__all__ = ["HOLDER_KINDS", "AccountRef", "LedgerAccountKind"]
