from typing import Literal

TrialBalanceLineType = Literal["asset", "expense", "liability", "revenue"]

TRIAL_BALANCE_LINE_TYPE_VALUES: set[TrialBalanceLineType] = {
    "asset",
    "expense",
    "liability",
    "revenue",
}


def check_trial_balance_line_type(value: str) -> TrialBalanceLineType:
    if value in TRIAL_BALANCE_LINE_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TRIAL_BALANCE_LINE_TYPE_VALUES!r}")
