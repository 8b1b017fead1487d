from typing import Literal

ReconciledOrderProviderStatusType0 = Literal["failed", "pending", "succeeded"]

RECONCILED_ORDER_PROVIDER_STATUS_TYPE_0_VALUES: set[ReconciledOrderProviderStatusType0] = {
    "failed",
    "pending",
    "succeeded",
}


def check_reconciled_order_provider_status_type_0(value: str) -> ReconciledOrderProviderStatusType0:
    if value in RECONCILED_ORDER_PROVIDER_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RECONCILED_ORDER_PROVIDER_STATUS_TYPE_0_VALUES!r}")
