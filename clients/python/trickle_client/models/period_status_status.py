from typing import Literal

PeriodStatusStatus = Literal["closed", "closing", "open"]

PERIOD_STATUS_STATUS_VALUES: set[PeriodStatusStatus] = {
    "closed",
    "closing",
    "open",
}


def check_period_status_status(value: str) -> PeriodStatusStatus:
    if value in PERIOD_STATUS_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PERIOD_STATUS_STATUS_VALUES!r}")
