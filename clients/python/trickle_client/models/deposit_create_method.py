from typing import Literal

DepositCreateMethod = Literal["bank_transfer", "card", "paypal"]

DEPOSIT_CREATE_METHOD_VALUES: set[DepositCreateMethod] = {
    "bank_transfer",
    "card",
    "paypal",
}


def check_deposit_create_method(value: str) -> DepositCreateMethod:
    if value in DEPOSIT_CREATE_METHOD_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DEPOSIT_CREATE_METHOD_VALUES!r}")
