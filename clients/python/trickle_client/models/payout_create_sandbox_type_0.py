from typing import Literal

PayoutCreateSandboxType0 = Literal["duplicate", "fail", "lose_callback", "succeed"]

PAYOUT_CREATE_SANDBOX_TYPE_0_VALUES: set[PayoutCreateSandboxType0] = {
    "duplicate",
    "fail",
    "lose_callback",
    "succeed",
}


def check_payout_create_sandbox_type_0(value: str) -> PayoutCreateSandboxType0:
    if value in PAYOUT_CREATE_SANDBOX_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PAYOUT_CREATE_SANDBOX_TYPE_0_VALUES!r}")
