from typing import Literal

ListTransfersDirection = Literal["all", "received", "sent"]

LIST_TRANSFERS_DIRECTION_VALUES: set[ListTransfersDirection] = {
    "all",
    "received",
    "sent",
}


def check_list_transfers_direction(value: str) -> ListTransfersDirection:
    if value in LIST_TRANSFERS_DIRECTION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_TRANSFERS_DIRECTION_VALUES!r}")
