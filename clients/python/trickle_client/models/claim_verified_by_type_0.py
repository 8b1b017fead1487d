from typing import Literal

ClaimVerifiedByType0 = Literal["operator", "proof"]

CLAIM_VERIFIED_BY_TYPE_0_VALUES: set[ClaimVerifiedByType0] = {
    "operator",
    "proof",
}


def check_claim_verified_by_type_0(value: str) -> ClaimVerifiedByType0:
    if value in CLAIM_VERIFIED_BY_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CLAIM_VERIFIED_BY_TYPE_0_VALUES!r}")
