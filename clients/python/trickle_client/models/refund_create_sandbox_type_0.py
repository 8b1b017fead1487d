from typing import Literal

RefundCreateSandboxType0 = Literal["duplicate", "fail", "lose_callback", "succeed"]

REFUND_CREATE_SANDBOX_TYPE_0_VALUES: set[RefundCreateSandboxType0] = {
    "duplicate",
    "fail",
    "lose_callback",
    "succeed",
}


def check_refund_create_sandbox_type_0(value: str) -> RefundCreateSandboxType0:
    if value in REFUND_CREATE_SANDBOX_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REFUND_CREATE_SANDBOX_TYPE_0_VALUES!r}")
