from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Click")


@_attrs_define
class Click:
    """A patron's click on a thing in a period (``revoked_at`` set: revoked).

    Attributes:
        id (str):
        patron_id (str):
        thing_id (str):
        owner_id (None | str):
        period (str):
        weight (int):
        public (bool):
        subscription_id (None | str):
        created_at (datetime.datetime):
        revoked_at (datetime.datetime | None):
    """

    id: str
    patron_id: str
    thing_id: str
    owner_id: None | str
    period: str
    weight: int
    public: bool
    subscription_id: None | str
    created_at: datetime.datetime
    revoked_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        patron_id = self.patron_id

        thing_id = self.thing_id

        owner_id: None | str
        owner_id = self.owner_id

        period = self.period

        weight = self.weight

        public = self.public

        subscription_id: None | str
        subscription_id = self.subscription_id

        created_at = self.created_at.isoformat()

        revoked_at: None | str
        if isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "patron_id": patron_id,
                "thing_id": thing_id,
                "owner_id": owner_id,
                "period": period,
                "weight": weight,
                "public": public,
                "subscription_id": subscription_id,
                "created_at": created_at,
                "revoked_at": revoked_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        patron_id = d.pop("patron_id")

        thing_id = d.pop("thing_id")

        def _parse_owner_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        owner_id = _parse_owner_id(d.pop("owner_id"))

        period = d.pop("period")

        weight = d.pop("weight")

        public = d.pop("public")

        def _parse_subscription_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        subscription_id = _parse_subscription_id(d.pop("subscription_id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_revoked_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoked_at_type_0 = datetime.datetime.fromisoformat(data)

                return revoked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at"))

        click = cls(
            id=id,
            patron_id=patron_id,
            thing_id=thing_id,
            owner_id=owner_id,
            period=period,
            weight=weight,
            public=public,
            subscription_id=subscription_id,
            created_at=created_at,
            revoked_at=revoked_at,
        )

        click.additional_properties = d
        return click

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
