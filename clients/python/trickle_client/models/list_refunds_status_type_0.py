from typing import Literal

ListRefundsStatusType0 = Literal["failed", "paid", "processing", "rejected", "requested", "reserved"]

LIST_REFUNDS_STATUS_TYPE_0_VALUES: set[ListRefundsStatusType0] = {
    "failed",
    "paid",
    "processing",
    "rejected",
    "requested",
    "reserved",
}


def check_list_refunds_status_type_0(value: str) -> ListRefundsStatusType0:
    if value in LIST_REFUNDS_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_REFUNDS_STATUS_TYPE_0_VALUES!r}")
