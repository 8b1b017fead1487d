from typing import Literal

FeeDifferenceKind = Literal["mismatch", "unrecorded", "unreported"]

FEE_DIFFERENCE_KIND_VALUES: set[FeeDifferenceKind] = {
    "mismatch",
    "unrecorded",
    "unreported",
}


def check_fee_difference_kind(value: str) -> FeeDifferenceKind:
    if value in FEE_DIFFERENCE_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {FEE_DIFFERENCE_KIND_VALUES!r}")
