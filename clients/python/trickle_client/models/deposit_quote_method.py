from typing import Literal

DepositQuoteMethod = Literal["bank_transfer", "card", "paypal"]

DEPOSIT_QUOTE_METHOD_VALUES: set[DepositQuoteMethod] = {
    "bank_transfer",
    "card",
    "paypal",
}


def check_deposit_quote_method(value: str) -> DepositQuoteMethod:
    if value in DEPOSIT_QUOTE_METHOD_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DEPOSIT_QUOTE_METHOD_VALUES!r}")
