from typing import Literal

AuthorizationDecisionDecision = Literal["approve", "deny"]

AUTHORIZATION_DECISION_DECISION_VALUES: set[AuthorizationDecisionDecision] = {
    "approve",
    "deny",
}


def check_authorization_decision_decision(value: str) -> AuthorizationDecisionDecision:
    if value in AUTHORIZATION_DECISION_DECISION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {AUTHORIZATION_DECISION_DECISION_VALUES!r}")
