from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.public_supporter import PublicSupporter
    from ..models.public_thing import PublicThing


T = TypeVar("T", bound="CreatorProfile")


@_attrs_define
class CreatorProfile:
    """A creator's things with their counts, and who supports them, for patrons who give publicly only.

    Attributes:
        account_id (str):
        period (str): The open period the period counts are of
        things (list[PublicThing]): The creator's things, oldest first (at most 100)
        supporters (list[PublicSupporter]): Patrons giving publicly now with a live click on one of the things, latest
            first (at most 50); nobody who gives privately
    """

    account_id: str
    period: str
    things: list[PublicThing]
    supporters: list[PublicSupporter]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account_id = self.account_id

        period = self.period

        things = []
        for things_item_data in self.things:
            things_item = things_item_data.to_dict()
            things.append(things_item)

        supporters = []
        for supporters_item_data in self.supporters:
            supporters_item = supporters_item_data.to_dict()
            supporters.append(supporters_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "account_id": account_id,
                "period": period,
                "things": things,
                "supporters": supporters,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.public_supporter import PublicSupporter  # noqa: PLC0415
        from ..models.public_thing import PublicThing  # noqa: PLC0415

        d = dict(src_dict)
        account_id = d.pop("account_id")

        period = d.pop("period")

        things = []
        _things = d.pop("things")
        for things_item_data in _things:
            things_item = PublicThing.from_dict(things_item_data)

            things.append(things_item)

        supporters = []
        _supporters = d.pop("supporters")
        for supporters_item_data in _supporters:
            supporters_item = PublicSupporter.from_dict(supporters_item_data)

            supporters.append(supporters_item)

        creator_profile = cls(
            account_id=account_id,
            period=period,
            things=things,
            supporters=supporters,
        )

        creator_profile.additional_properties = d
        return creator_profile

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
