from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.claim_status import ClaimStatus, check_claim_status

T = TypeVar("T", bound="Claim")


@_attrs_define
class Claim:
    """A domain claim. Serve ``token`` at ``/.well-known/trickle-verification`` (or as the
    content of ``<meta name="trickle-verification">`` on the home page), then verify.

        Attributes:
            id (str):
            account_id (str):
            domain (str):
            token (str):
            status (ClaimStatus):
            last_error (None | str):
            created_at (datetime.datetime):
            verified_at (datetime.datetime | None):
    """

    id: str
    account_id: str
    domain: str
    token: str
    status: ClaimStatus
    last_error: None | str
    created_at: datetime.datetime
    verified_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        account_id = self.account_id

        domain = self.domain

        token = self.token

        status: str = self.status

        last_error: None | str
        last_error = self.last_error

        created_at = self.created_at.isoformat()

        verified_at: None | str
        if isinstance(self.verified_at, datetime.datetime):
            verified_at = self.verified_at.isoformat()
        else:
            verified_at = self.verified_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "account_id": account_id,
                "domain": domain,
                "token": token,
                "status": status,
                "last_error": last_error,
                "created_at": created_at,
                "verified_at": verified_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        account_id = d.pop("account_id")

        domain = d.pop("domain")

        token = d.pop("token")

        status = check_claim_status(d.pop("status"))

        def _parse_last_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_error = _parse_last_error(d.pop("last_error"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_verified_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                verified_at_type_0 = datetime.datetime.fromisoformat(data)

                return verified_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        verified_at = _parse_verified_at(d.pop("verified_at"))

        claim = cls(
            id=id,
            account_id=account_id,
            domain=domain,
            token=token,
            status=status,
            last_error=last_error,
            created_at=created_at,
            verified_at=verified_at,
        )

        claim.additional_properties = d
        return claim

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
