from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ledger_account_balance_type import LedgerAccountBalanceType, check_ledger_account_balance_type
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="LedgerAccountBalance")


@_attrs_define
class LedgerAccountBalance:
    """One ledger account and its balance in its natural sign (what the platform owes, for a user's).

    Attributes:
        ledger_account (str):
        kind (str):
        type_ (LedgerAccountBalanceType):
        balance (Money): An amount in minor units (cents) and its currency.
        posting_count (int):
        owner_id (None | str | Unset):
    """

    ledger_account: str
    kind: str
    type_: LedgerAccountBalanceType
    balance: Money
    posting_count: int
    owner_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ledger_account = self.ledger_account

        kind = self.kind

        type_: str = self.type_

        balance = self.balance.to_dict()

        posting_count = self.posting_count

        owner_id: None | str | Unset
        if isinstance(self.owner_id, Unset):
            owner_id = UNSET
        else:
            owner_id = self.owner_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ledger_account": ledger_account,
                "kind": kind,
                "type": type_,
                "balance": balance,
                "posting_count": posting_count,
            }
        )
        if owner_id is not UNSET:
            field_dict["owner_id"] = owner_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        ledger_account = d.pop("ledger_account")

        kind = d.pop("kind")

        type_ = check_ledger_account_balance_type(d.pop("type"))

        balance = Money.from_dict(d.pop("balance"))

        posting_count = d.pop("posting_count")

        def _parse_owner_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        owner_id = _parse_owner_id(d.pop("owner_id", UNSET))

        ledger_account_balance = cls(
            ledger_account=ledger_account,
            kind=kind,
            type_=type_,
            balance=balance,
            posting_count=posting_count,
            owner_id=owner_id,
        )

        ledger_account_balance.additional_properties = d
        return ledger_account_balance

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
