from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TrialBalanceTotal")


@_attrs_define
class TrialBalanceTotal:
    """
    Attributes:
        currency (str):
        debit (int):
        credit (int):
        difference (int): debit − credit: zero in a sound ledger
        postings_sum (int): Sum of every posting's amount, recomputed from the journal: zero
    """

    currency: str
    debit: int
    credit: int
    difference: int
    postings_sum: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        currency = self.currency

        debit = self.debit

        credit = self.credit

        difference = self.difference

        postings_sum = self.postings_sum

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "currency": currency,
                "debit": debit,
                "credit": credit,
                "difference": difference,
                "postings_sum": postings_sum,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        currency = d.pop("currency")

        debit = d.pop("debit")

        credit = d.pop("credit")

        difference = d.pop("difference")

        postings_sum = d.pop("postings_sum")

        trial_balance_total = cls(
            currency=currency,
            debit=debit,
            credit=credit,
            difference=difference,
            postings_sum=postings_sum,
        )

        trial_balance_total.additional_properties = d
        return trial_balance_total

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
