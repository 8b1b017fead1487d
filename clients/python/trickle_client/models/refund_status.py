from typing import Literal

RefundStatus = Literal["failed", "paid", "processing", "rejected", "requested", "reserved"]

REFUND_STATUS_VALUES: set[RefundStatus] = {
    "failed",
    "paid",
    "processing",
    "rejected",
    "requested",
    "reserved",
}


def check_refund_status(value: str) -> RefundStatus:
    if value in REFUND_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REFUND_STATUS_VALUES!r}")
