from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.positive_money import PositiveMoney


T = TypeVar("T", bound="TransferCreate")


@_attrs_define
class TransferCreate:
    """
    Attributes:
        to_account_id (str):
        amount (PositiveMoney): An amount that must be greater than zero: what a request asks to move (deposit, tip,
            payout).
        note (None | str | Unset): Shown to the recipient
    """

    to_account_id: str
    amount: PositiveMoney
    note: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        to_account_id = self.to_account_id

        amount = self.amount.to_dict()

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "to_account_id": to_account_id,
                "amount": amount,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.positive_money import PositiveMoney  # noqa: PLC0415

        d = dict(src_dict)
        to_account_id = d.pop("to_account_id")

        amount = PositiveMoney.from_dict(d.pop("amount"))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        transfer_create = cls(
            to_account_id=to_account_id,
            amount=amount,
            note=note,
        )

        return transfer_create
