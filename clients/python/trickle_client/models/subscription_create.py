from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.subscription_create_periods import SubscriptionCreatePeriods, check_subscription_create_periods

T = TypeVar("T", bound="SubscriptionCreate")


@_attrs_define
class SubscriptionCreate:
    """Click a thing automatically in each of the next 3, 6 or 12 periods (from the open one).

    Attributes:
        thing_id (str):
        periods (SubscriptionCreatePeriods):
    """

    thing_id: str
    periods: SubscriptionCreatePeriods

    def to_dict(self) -> dict[str, Any]:
        thing_id = self.thing_id

        periods: int = self.periods

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "thing_id": thing_id,
                "periods": periods,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        thing_id = d.pop("thing_id")

        periods = check_subscription_create_periods(d.pop("periods"))

        subscription_create = cls(
            thing_id=thing_id,
            periods=periods,
        )

        return subscription_create
