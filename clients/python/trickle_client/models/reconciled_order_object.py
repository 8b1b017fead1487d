from typing import Literal

ReconciledOrderObject = Literal["deposit", "payout", "refund"]

RECONCILED_ORDER_OBJECT_VALUES: set[ReconciledOrderObject] = {
    "deposit",
    "payout",
    "refund",
}


def check_reconciled_order_object(value: str) -> ReconciledOrderObject:
    if value in RECONCILED_ORDER_OBJECT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RECONCILED_ORDER_OBJECT_VALUES!r}")
