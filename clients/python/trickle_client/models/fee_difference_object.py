from typing import Literal

FeeDifferenceObject = Literal["deposit", "payout", "refund"]

FEE_DIFFERENCE_OBJECT_VALUES: set[FeeDifferenceObject] = {
    "deposit",
    "payout",
    "refund",
}


def check_fee_difference_object(value: str) -> FeeDifferenceObject:
    if value in FEE_DIFFERENCE_OBJECT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {FEE_DIFFERENCE_OBJECT_VALUES!r}")
