from typing import Literal

SubscriptionCreatePeriods = Literal[3, 6, 12]

SUBSCRIPTION_CREATE_PERIODS_VALUES: set[SubscriptionCreatePeriods] = {
    3,
    6,
    12,
}


def check_subscription_create_periods(value: int) -> SubscriptionCreatePeriods:
    if value in SUBSCRIPTION_CREATE_PERIODS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SUBSCRIPTION_CREATE_PERIODS_VALUES!r}")
