from typing import Literal

DepositCreateSandboxType0 = Literal["duplicate", "fail", "lose_callback", "out_of_order", "succeed", "timeout"]

DEPOSIT_CREATE_SANDBOX_TYPE_0_VALUES: set[DepositCreateSandboxType0] = {
    "duplicate",
    "fail",
    "lose_callback",
    "out_of_order",
    "succeed",
    "timeout",
}


def check_deposit_create_sandbox_type_0(value: str) -> DepositCreateSandboxType0:
    if value in DEPOSIT_CREATE_SANDBOX_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DEPOSIT_CREATE_SANDBOX_TYPE_0_VALUES!r}")
