"""What the wallet answers a provider's callback."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

CallbackOutcome = Literal["applied", "unchanged", "ignored", "duplicate"]


class CallbackAck(BaseModel):
    model_config = ConfigDict(title="CallbackAck")

    received: bool = True
    outcome: CallbackOutcome = Field(
        description="applied: the status changed; unchanged: nothing to change; ignored: would have regressed a "
        "final status; duplicate: this callback was already received"
    )
