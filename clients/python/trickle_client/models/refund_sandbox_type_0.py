from typing import Literal

RefundSandboxType0 = Literal["duplicate", "fail", "lose_callback", "succeed"]

REFUND_SANDBOX_TYPE_0_VALUES: set[RefundSandboxType0] = {
    "duplicate",
    "fail",
    "lose_callback",
    "succeed",
}


def check_refund_sandbox_type_0(value: str) -> RefundSandboxType0:
    if value in REFUND_SANDBOX_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REFUND_SANDBOX_TYPE_0_VALUES!r}")
