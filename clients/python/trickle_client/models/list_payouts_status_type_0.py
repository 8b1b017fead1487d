from typing import Literal

ListPayoutsStatusType0 = Literal["failed", "paid", "processing", "rejected", "requested", "reserved"]

LIST_PAYOUTS_STATUS_TYPE_0_VALUES: set[ListPayoutsStatusType0] = {
    "failed",
    "paid",
    "processing",
    "rejected",
    "requested",
    "reserved",
}


def check_list_payouts_status_type_0(value: str) -> ListPayoutsStatusType0:
    if value in LIST_PAYOUTS_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_PAYOUTS_STATUS_TYPE_0_VALUES!r}")
