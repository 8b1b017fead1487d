from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.refund_create_sandbox_type_0 import RefundCreateSandboxType0, check_refund_create_sandbox_type_0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.positive_money import PositiveMoney


T = TypeVar("T", bound="RefundCreate")


@_attrs_define
class RefundCreate:
    """
    Attributes:
        account_id (str): Whose wallet: the caller's own, or any account for an operator
        amount (None | PositiveMoney | Unset): At most the wallet's balance; the whole balance when left out
        sandbox (None | RefundCreateSandboxType0 | Unset): Sandbox mode only: whether the sandbox provider pays the
            refund or fails
    """

    account_id: str
    amount: None | PositiveMoney | Unset = UNSET
    sandbox: None | RefundCreateSandboxType0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.positive_money import PositiveMoney  # noqa: PLC0415

        account_id = self.account_id

        amount: dict[str, Any] | None | Unset
        if isinstance(self.amount, Unset):
            amount = UNSET
        elif isinstance(self.amount, PositiveMoney):
            amount = self.amount.to_dict()
        else:
            amount = self.amount

        sandbox: None | str | Unset
        if isinstance(self.sandbox, Unset):
            sandbox = UNSET
        elif isinstance(self.sandbox, str):
            sandbox = self.sandbox
        else:
            sandbox = self.sandbox

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "account_id": account_id,
            }
        )
        if amount is not UNSET:
            field_dict["amount"] = amount
        if sandbox is not UNSET:
            field_dict["sandbox"] = sandbox

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.positive_money import PositiveMoney  # noqa: PLC0415

        d = dict(src_dict)
        account_id = d.pop("account_id")

        def _parse_amount(data: object) -> None | PositiveMoney | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                amount_type_0 = PositiveMoney.from_dict(data)

                return amount_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PositiveMoney | Unset, data)

        amount = _parse_amount(d.pop("amount", UNSET))

        def _parse_sandbox(data: object) -> None | RefundCreateSandboxType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sandbox_type_0 = check_refund_create_sandbox_type_0(data)

                return sandbox_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RefundCreateSandboxType0 | Unset, data)

        sandbox = _parse_sandbox(d.pop("sandbox", UNSET))

        refund_create = cls(
            account_id=account_id,
            amount=amount,
            sandbox=sandbox,
        )

        return refund_create
