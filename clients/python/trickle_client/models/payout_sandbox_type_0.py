from typing import Literal

PayoutSandboxType0 = Literal["duplicate", "fail", "lose_callback", "succeed"]

PAYOUT_SANDBOX_TYPE_0_VALUES: set[PayoutSandboxType0] = {
    "duplicate",
    "fail",
    "lose_callback",
    "succeed",
}


def check_payout_sandbox_type_0(value: str) -> PayoutSandboxType0:
    if value in PAYOUT_SANDBOX_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PAYOUT_SANDBOX_TYPE_0_VALUES!r}")
