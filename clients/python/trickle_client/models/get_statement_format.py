from typing import Literal

GetStatementFormat = Literal["csv", "json"]

GET_STATEMENT_FORMAT_VALUES: set[GetStatementFormat] = {
    "csv",
    "json",
}


def check_get_statement_format(value: str) -> GetStatementFormat:
    if value in GET_STATEMENT_FORMAT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {GET_STATEMENT_FORMAT_VALUES!r}")
