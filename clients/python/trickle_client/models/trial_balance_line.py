from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.trial_balance_line_type import TrialBalanceLineType, check_trial_balance_line_type

T = TypeVar("T", bound="TrialBalanceLine")


@_attrs_define
class TrialBalanceLine:
    """Accounts of one kind and currency: their debit and credit balances.

    Attributes:
        kind (str):
        type_ (TrialBalanceLineType):
        currency (str):
        accounts (int):
        debit (int): Sum of the debit balances, minor units
        credit (int): Sum of the credit balances, minor units
    """

    kind: str
    type_: TrialBalanceLineType
    currency: str
    accounts: int
    debit: int
    credit: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        type_: str = self.type_

        currency = self.currency

        accounts = self.accounts

        debit = self.debit

        credit = self.credit

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "type": type_,
                "currency": currency,
                "accounts": accounts,
                "debit": debit,
                "credit": credit,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = d.pop("kind")

        type_ = check_trial_balance_line_type(d.pop("type"))

        currency = d.pop("currency")

        accounts = d.pop("accounts")

        debit = d.pop("debit")

        credit = d.pop("credit")

        trial_balance_line = cls(
            kind=kind,
            type_=type_,
            currency=currency,
            accounts=accounts,
            debit=debit,
            credit=credit,
        )

        trial_balance_line.additional_properties = d
        return trial_balance_line

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
