from typing import Literal

DepositSandboxType0 = Literal["duplicate", "fail", "lose_callback", "out_of_order", "succeed", "timeout"]

DEPOSIT_SANDBOX_TYPE_0_VALUES: set[DepositSandboxType0] = {
    "duplicate",
    "fail",
    "lose_callback",
    "out_of_order",
    "succeed",
    "timeout",
}


def check_deposit_sandbox_type_0(value: str) -> DepositSandboxType0:
    if value in DEPOSIT_SANDBOX_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DEPOSIT_SANDBOX_TYPE_0_VALUES!r}")
