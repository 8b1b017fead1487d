from typing import Literal

ReconciledOrderOutcome = Literal["applied", "duplicate", "error", "ignored", "pending", "unchanged", "unknown"]

RECONCILED_ORDER_OUTCOME_VALUES: set[ReconciledOrderOutcome] = {
    "applied",
    "duplicate",
    "error",
    "ignored",
    "pending",
    "unchanged",
    "unknown",
}


def check_reconciled_order_outcome(value: str) -> ReconciledOrderOutcome:
    if value in RECONCILED_ORDER_OUTCOME_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RECONCILED_ORDER_OUTCOME_VALUES!r}")
