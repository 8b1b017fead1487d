from typing import Literal

GetStatementKindType0 = Literal["creator_earnings", "patron_wallet", "payouts_in_transit"]

GET_STATEMENT_KIND_TYPE_0_VALUES: set[GetStatementKindType0] = {
    "creator_earnings",
    "patron_wallet",
    "payouts_in_transit",
}


def check_get_statement_kind_type_0(value: str) -> GetStatementKindType0:
    if value in GET_STATEMENT_KIND_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {GET_STATEMENT_KIND_TYPE_0_VALUES!r}")
