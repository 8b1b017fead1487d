from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.thing_claim_status import ThingClaimStatus, check_thing_claim_status
from ..types import UNSET, Unset

T = TypeVar("T", bound="Thing")


@_attrs_define
class Thing:
    """A thing: owned by an account, or unclaimed (``owner_id`` null, ``claim_status`` ``pending_claim``).

    Attributes:
        id (str):
        url (str):
        domain (str):
        owner_id (None | str):
        claim_status (ThingClaimStatus): verified: owned through a verified claim; pending_claim: unclaimed, its money
            waits in escrow; unproven: owned from before ownership needed proof (the first verified claim takes it)
        title (None | str):
        category (None | str):
        weight (int):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        claimed_at (datetime.datetime | None):
        claim_hint (None | str | Unset): What to do about the claim status, if anything
    """

    id: str
    url: str
    domain: str
    owner_id: None | str
    claim_status: ThingClaimStatus
    title: None | str
    category: None | str
    weight: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    claimed_at: datetime.datetime | None
    claim_hint: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        url = self.url

        domain = self.domain

        owner_id: None | str
        owner_id = self.owner_id

        claim_status: str = self.claim_status

        title: None | str
        title = self.title

        category: None | str
        category = self.category

        weight = self.weight

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        claimed_at: None | str
        if isinstance(self.claimed_at, datetime.datetime):
            claimed_at = self.claimed_at.isoformat()
        else:
            claimed_at = self.claimed_at

        claim_hint: None | str | Unset
        if isinstance(self.claim_hint, Unset):
            claim_hint = UNSET
        else:
            claim_hint = self.claim_hint

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "url": url,
                "domain": domain,
                "owner_id": owner_id,
                "claim_status": claim_status,
                "title": title,
                "category": category,
                "weight": weight,
                "created_at": created_at,
                "updated_at": updated_at,
                "claimed_at": claimed_at,
            }
        )
        if claim_hint is not UNSET:
            field_dict["claim_hint"] = claim_hint

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        url = d.pop("url")

        domain = d.pop("domain")

        def _parse_owner_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        owner_id = _parse_owner_id(d.pop("owner_id"))

        claim_status = check_thing_claim_status(d.pop("claim_status"))

        def _parse_title(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        title = _parse_title(d.pop("title"))

        def _parse_category(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        category = _parse_category(d.pop("category"))

        weight = d.pop("weight")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_claimed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                claimed_at_type_0 = datetime.datetime.fromisoformat(data)

                return claimed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        claimed_at = _parse_claimed_at(d.pop("claimed_at"))

        def _parse_claim_hint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        claim_hint = _parse_claim_hint(d.pop("claim_hint", UNSET))

        thing = cls(
            id=id,
            url=url,
            domain=domain,
            owner_id=owner_id,
            claim_status=claim_status,
            title=title,
            category=category,
            weight=weight,
            created_at=created_at,
            updated_at=updated_at,
            claimed_at=claimed_at,
            claim_hint=claim_hint,
        )

        thing.additional_properties = d
        return thing

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
