from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.claim import Claim


T = TypeVar("T", bound="ClaimVerification")


@_attrs_define
class ClaimVerification:
    """The outcome of a verification attempt.

    Attributes:
        claim (Claim): A claim. For a domain, serve ``token`` at ``/.well-known/trickle-verification`` (or as the
            content of ``<meta name="trickle-verification">`` on the home page); for a path prefix, put
            that meta tag, or a ``rel="me"`` link whose href contains the token, on the page at the
            prefix (https://github.com/alice). Then verify.
        verified (bool):
        claimed_thing_ids (list[str] | Unset): Things that became yours now
        reason (None | str | Unset):
    """

    claim: Claim
    verified: bool
    claimed_thing_ids: list[str] | Unset = UNSET
    reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        claim = self.claim.to_dict()

        verified = self.verified

        claimed_thing_ids: list[str] | Unset = UNSET
        if not isinstance(self.claimed_thing_ids, Unset):
            claimed_thing_ids = self.claimed_thing_ids

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "claim": claim,
                "verified": verified,
            }
        )
        if claimed_thing_ids is not UNSET:
            field_dict["claimed_thing_ids"] = claimed_thing_ids
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.claim import Claim  # noqa: PLC0415

        d = dict(src_dict)
        claim = Claim.from_dict(d.pop("claim"))

        verified = d.pop("verified")

        claimed_thing_ids = cast(list[str], d.pop("claimed_thing_ids", UNSET))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        claim_verification = cls(
            claim=claim,
            verified=verified,
            claimed_thing_ids=claimed_thing_ids,
            reason=reason,
        )

        claim_verification.additional_properties = d
        return claim_verification

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
