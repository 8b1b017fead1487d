from typing import Literal

DepositMethod = Literal["bank_transfer", "card", "paypal"]

DEPOSIT_METHOD_VALUES: set[DepositMethod] = {
    "bank_transfer",
    "card",
    "paypal",
}


def check_deposit_method(value: str) -> DepositMethod:
    if value in DEPOSIT_METHOD_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DEPOSIT_METHOD_VALUES!r}")
