"""Request and response models of domain claims."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from trickle_kit.pagination import Page


class ClaimCreate(BaseModel):
    """Start proving that you control a domain, or a path prefix on a shared host (github.com/alice)."""

    model_config = ConfigDict(extra="forbid", title="ClaimCreate")

    domain: str = Field(min_length=1, max_length=253, examples=["blog.example.org"])
    path_prefix: str | None = Field(
        default=None,
        min_length=2,
        max_length=1024,
        examples=["/alice"],
        description="Only on shared hosts (github.com, youtube.com, medium.com … as configured), where it is "
        "required: the part of the host that is yours",
    )


class ClaimOut(BaseModel):
    """A claim. For a domain, serve ``token`` at ``/.well-known/trickle-verification`` (or as the
    content of ``<meta name="trickle-verification">`` on the home page); for a path prefix, put
    that meta tag, or a ``rel="me"`` link whose href contains the token, on the page at the
    prefix (https://github.com/alice). Then verify."""

    model_config = ConfigDict(from_attributes=True, title="Claim")

    id: str
    account_id: str
    domain: str
    path_prefix: str | None = Field(description="The claimed path prefix; null for a whole domain")
    token: str
    status: Literal["pending", "verified", "failed"]
    last_error: str | None
    created_at: datetime
    verified_at: datetime | None
    verified_by: Literal["proof", "operator"] | None = Field(
        default=None, description="proof: the site served the token; operator: an operator verified it by other means"
    )

    @field_validator("path_prefix", mode="before")
    @classmethod
    def _whole_domain_is_null(cls, value: object) -> object:
        return value or None


class ClaimApproval(BaseModel):
    """An operator verifies a claim by other means than the token (a support case, a demo)."""

    model_config = ConfigDict(extra="forbid", title="ClaimApproval")

    reason: str = Field(min_length=1, max_length=300, examples=["Verified by support ticket 4711"])


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
