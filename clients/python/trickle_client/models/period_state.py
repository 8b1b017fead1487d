from typing import Literal

PeriodState = Literal["open", "sealed"]

PERIOD_STATE_VALUES: set[PeriodState] = {
    "open",
    "sealed",
}


def check_period_state(value: str) -> PeriodState:
    if value in PERIOD_STATE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PERIOD_STATE_VALUES!r}")
