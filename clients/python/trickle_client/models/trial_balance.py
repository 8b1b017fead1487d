from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.trial_balance_line import TrialBalanceLine
    from ..models.trial_balance_total import TrialBalanceTotal


T = TypeVar("T", bound="TrialBalance")


@_attrs_define
class TrialBalance:
    """The trial balance: per account kind, and totals per currency that must net to zero.

    Attributes:
        as_of (datetime.datetime):
        balanced (bool):
        lines (list[TrialBalanceLine]):
        totals (list[TrialBalanceTotal]):
        balances_match_postings (bool | None | Unset): With ?verify=true: every account's balance equals the sum of its
            postings
    """

    as_of: datetime.datetime
    balanced: bool
    lines: list[TrialBalanceLine]
    totals: list[TrialBalanceTotal]
    balances_match_postings: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        as_of = self.as_of.isoformat()

        balanced = self.balanced

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        totals = []
        for totals_item_data in self.totals:
            totals_item = totals_item_data.to_dict()
            totals.append(totals_item)

        balances_match_postings: bool | None | Unset
        if isinstance(self.balances_match_postings, Unset):
            balances_match_postings = UNSET
        else:
            balances_match_postings = self.balances_match_postings

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "as_of": as_of,
                "balanced": balanced,
                "lines": lines,
                "totals": totals,
            }
        )
        if balances_match_postings is not UNSET:
            field_dict["balances_match_postings"] = balances_match_postings

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.trial_balance_line import TrialBalanceLine  # noqa: PLC0415
        from ..models.trial_balance_total import TrialBalanceTotal  # noqa: PLC0415

        d = dict(src_dict)
        as_of = datetime.datetime.fromisoformat(d.pop("as_of"))

        balanced = d.pop("balanced")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = TrialBalanceLine.from_dict(lines_item_data)

            lines.append(lines_item)

        totals = []
        _totals = d.pop("totals")
        for totals_item_data in _totals:
            totals_item = TrialBalanceTotal.from_dict(totals_item_data)

            totals.append(totals_item)

        def _parse_balances_match_postings(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        balances_match_postings = _parse_balances_match_postings(d.pop("balances_match_postings", UNSET))

        trial_balance = cls(
            as_of=as_of,
            balanced=balanced,
            lines=lines,
            totals=totals,
            balances_match_postings=balances_match_postings,
        )

        trial_balance.additional_properties = d
        return trial_balance

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
