from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.claim_status import ClaimStatus, check_claim_status
from ..models.claim_verified_by_type_0 import ClaimVerifiedByType0, check_claim_verified_by_type_0
from ..types import UNSET, Unset

T = TypeVar("T", bound="Claim")


@_attrs_define
class Claim:
    """A claim. For a domain, serve ``token`` at ``/.well-known/trickle-verification`` (or as the
    content of ``<meta name="trickle-verification">`` on the home page); for a path prefix, put
    that meta tag, or a ``rel="me"`` link whose href contains the token, on the page at the
    prefix (https://github.com/alice). Then verify.

        Attributes:
            id (str):
            account_id (str):
            domain (str):
            path_prefix (None | str): The claimed path prefix; null for a whole domain
            token (str):
            status (ClaimStatus):
            last_error (None | str):
            created_at (datetime.datetime):
            verified_at (datetime.datetime | None):
            verified_by (ClaimVerifiedByType0 | None | Unset): proof: the site served the token; operator: an operator
                verified it by other means
    """

    id: str
    account_id: str
    domain: str
    path_prefix: None | str
    token: str
    status: ClaimStatus
    last_error: None | str
    created_at: datetime.datetime
    verified_at: datetime.datetime | None
    verified_by: ClaimVerifiedByType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        account_id = self.account_id

        domain = self.domain

        path_prefix: None | str
        path_prefix = self.path_prefix

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

        verified_by: None | str | Unset
        if isinstance(self.verified_by, Unset):
            verified_by = UNSET
        elif isinstance(self.verified_by, str):
            verified_by = self.verified_by
        else:
            verified_by = self.verified_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "account_id": account_id,
                "domain": domain,
                "path_prefix": path_prefix,
                "token": token,
                "status": status,
                "last_error": last_error,
                "created_at": created_at,
                "verified_at": verified_at,
            }
        )
        if verified_by is not UNSET:
            field_dict["verified_by"] = verified_by

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        account_id = d.pop("account_id")

        domain = d.pop("domain")

        def _parse_path_prefix(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        path_prefix = _parse_path_prefix(d.pop("path_prefix"))

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

        def _parse_verified_by(data: object) -> ClaimVerifiedByType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                verified_by_type_0 = check_claim_verified_by_type_0(data)

                return verified_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ClaimVerifiedByType0 | None | Unset, data)

        verified_by = _parse_verified_by(d.pop("verified_by", UNSET))

        claim = cls(
            id=id,
            account_id=account_id,
            domain=domain,
            path_prefix=path_prefix,
            token=token,
            status=status,
            last_error=last_error,
            created_at=created_at,
            verified_at=verified_at,
            verified_by=verified_by,
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
