from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="CommissionUpdate")


@_attrs_define
class CommissionUpdate:
    """An operator-set commission rate on what the account receives.

    Attributes:
        commission_bps (int): Basis points: 1000 = 10%
    """

    commission_bps: int

    def to_dict(self) -> dict[str, Any]:
        commission_bps = self.commission_bps

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "commission_bps": commission_bps,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        commission_bps = d.pop("commission_bps")

        commission_update = cls(
            commission_bps=commission_bps,
        )

        return commission_update
