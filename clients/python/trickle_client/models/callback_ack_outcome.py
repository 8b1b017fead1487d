from typing import Literal

CallbackAckOutcome = Literal["applied", "duplicate", "ignored", "unchanged"]

CALLBACK_ACK_OUTCOME_VALUES: set[CallbackAckOutcome] = {
    "applied",
    "duplicate",
    "ignored",
    "unchanged",
}


def check_callback_ack_outcome(value: str) -> CallbackAckOutcome:
    if value in CALLBACK_ACK_OUTCOME_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CALLBACK_ACK_OUTCOME_VALUES!r}")
