from typing import Literal

ThingClaimStatus = Literal["pending_claim", "unproven", "verified"]

THING_CLAIM_STATUS_VALUES: set[ThingClaimStatus] = {
    "pending_claim",
    "unproven",
    "verified",
}


def check_thing_claim_status(value: str) -> ThingClaimStatus:
    if value in THING_CLAIM_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {THING_CLAIM_STATUS_VALUES!r}")
