from typing import Literal

StatementLineDirection = Literal["credit", "debit"]

STATEMENT_LINE_DIRECTION_VALUES: set[StatementLineDirection] = {
    "credit",
    "debit",
}


def check_statement_line_direction(value: str) -> StatementLineDirection:
    if value in STATEMENT_LINE_DIRECTION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {STATEMENT_LINE_DIRECTION_VALUES!r}")
