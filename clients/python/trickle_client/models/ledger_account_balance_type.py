from typing import Literal

LedgerAccountBalanceType = Literal["asset", "expense", "liability", "revenue"]

LEDGER_ACCOUNT_BALANCE_TYPE_VALUES: set[LedgerAccountBalanceType] = {
    "asset",
    "expense",
    "liability",
    "revenue",
}


def check_ledger_account_balance_type(value: str) -> LedgerAccountBalanceType:
    if value in LEDGER_ACCOUNT_BALANCE_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LEDGER_ACCOUNT_BALANCE_TYPE_VALUES!r}")
