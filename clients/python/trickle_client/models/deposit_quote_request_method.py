from typing import Literal

DepositQuoteRequestMethod = Literal["bank_transfer", "card", "paypal"]

DEPOSIT_QUOTE_REQUEST_METHOD_VALUES: set[DepositQuoteRequestMethod] = {
    "bank_transfer",
    "card",
    "paypal",
}


def check_deposit_quote_request_method(value: str) -> DepositQuoteRequestMethod:
    if value in DEPOSIT_QUOTE_REQUEST_METHOD_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DEPOSIT_QUOTE_REQUEST_METHOD_VALUES!r}")
