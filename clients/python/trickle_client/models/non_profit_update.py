from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="NonProfitUpdate")


@_attrs_define
class NonProfitUpdate:
    """Operators flag non-profits, which pay no commission; unflagging restores the default rate.

    Attributes:
        non_profit (bool | Unset):  Default: True.
    """

    non_profit: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        non_profit = self.non_profit

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if non_profit is not UNSET:
            field_dict["non_profit"] = non_profit

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        non_profit = d.pop("non_profit", UNSET)

        non_profit_update = cls(
            non_profit=non_profit,
        )

        return non_profit_update
