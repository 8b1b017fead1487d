from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.statement_line_direction import StatementLineDirection, check_statement_line_direction
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="StatementLine")


@_attrs_define
class StatementLine:
    """One posting on the account: ``amount`` > 0 increased its balance, < 0 decreased it.

    Attributes:
        id (str): The posting's position in the ledger; the pagination cursor
        entry_id (str):
        entry_kind (str):
        posted_at (datetime.datetime):
        ledger_account (str):
        account_kind (str):
        direction (StatementLineDirection):
        amount (Money): An amount in minor units (cents) and its currency.
        balance_after (Money): An amount in minor units (cents) and its currency.
        reference (None | str | Unset): What caused the entry (deposit, transfer, payout, period)
        period (None | str | Unset):
    """

    id: str
    entry_id: str
    entry_kind: str
    posted_at: datetime.datetime
    ledger_account: str
    account_kind: str
    direction: StatementLineDirection
    amount: Money
    balance_after: Money
    reference: None | str | Unset = UNSET
    period: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        entry_id = self.entry_id

        entry_kind = self.entry_kind

        posted_at = self.posted_at.isoformat()

        ledger_account = self.ledger_account

        account_kind = self.account_kind

        direction: str = self.direction

        amount = self.amount.to_dict()

        balance_after = self.balance_after.to_dict()

        reference: None | str | Unset
        if isinstance(self.reference, Unset):
            reference = UNSET
        else:
            reference = self.reference

        period: None | str | Unset
        if isinstance(self.period, Unset):
            period = UNSET
        else:
            period = self.period

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "entry_id": entry_id,
                "entry_kind": entry_kind,
                "posted_at": posted_at,
                "ledger_account": ledger_account,
                "account_kind": account_kind,
                "direction": direction,
                "amount": amount,
                "balance_after": balance_after,
            }
        )
        if reference is not UNSET:
            field_dict["reference"] = reference
        if period is not UNSET:
            field_dict["period"] = period

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        entry_id = d.pop("entry_id")

        entry_kind = d.pop("entry_kind")

        posted_at = datetime.datetime.fromisoformat(d.pop("posted_at"))

        ledger_account = d.pop("ledger_account")

        account_kind = d.pop("account_kind")

        direction = check_statement_line_direction(d.pop("direction"))

        amount = Money.from_dict(d.pop("amount"))

        balance_after = Money.from_dict(d.pop("balance_after"))

        def _parse_reference(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference = _parse_reference(d.pop("reference", UNSET))

        def _parse_period(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        period = _parse_period(d.pop("period", UNSET))

        statement_line = cls(
            id=id,
            entry_id=entry_id,
            entry_kind=entry_kind,
            posted_at=posted_at,
            ledger_account=ledger_account,
            account_kind=account_kind,
            direction=direction,
            amount=amount,
            balance_after=balance_after,
            reference=reference,
            period=period,
        )

        statement_line.additional_properties = d
        return statement_line

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
