"""Request and response models of domain claims."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from trickle_kit.pagination import Page


class ClaimCreate(BaseModel):
    """Start proving that you control a domain."""

    model_config = ConfigDict(extra="forbid", title="ClaimCreate")

    domain: str = Field(min_length=1, max_length=253, examples=["blog.example.org"])


class ClaimOut(BaseModel):
    """A domain claim. Serve ``token`` at ``/.well-known/trickle-verification`` (or as the
    content of ``<meta name="trickle-verification">`` on the home page), then verify."""

    model_config = ConfigDict(from_attributes=True, title="Claim")

    id: str
    account_id: str
    domain: str
    token: str
    status: Literal["pending", "verified", "failed"]
    last_error: str | None
    created_at: datetime
    verified_at: datetime | None


class ClaimVerification(BaseModel):
    """The outcome of a verification attempt."""

    model_config = ConfigDict(title="ClaimVerification")

    claim: ClaimOut
    verified: bool
    claimed_thing_ids: list[str] = Field(default_factory=list, description="Things that became yours now")
    reason: str | None = None


class ClaimList(Page[ClaimOut]):
    """A page of your claims."""

    model_config = ConfigDict(title="ClaimList")
