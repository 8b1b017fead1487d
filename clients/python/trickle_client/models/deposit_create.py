from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.deposit_create_method import DepositCreateMethod, check_deposit_create_method
from ..models.deposit_create_sandbox_type_0 import DepositCreateSandboxType0, check_deposit_create_sandbox_type_0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.positive_money import PositiveMoney


T = TypeVar("T", bound="DepositCreate")


@_attrs_define
class DepositCreate:
    """
    Attributes:
        method (DepositCreateMethod):
        amount (PositiveMoney): An amount that must be greater than zero: what a request asks to move (deposit, tip,
            payout).
        sandbox (DepositCreateSandboxType0 | None | Unset): Sandbox mode only: how the sandbox provider should behave
    """

    method: DepositCreateMethod
    amount: PositiveMoney
    sandbox: DepositCreateSandboxType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        method: str = self.method

        amount = self.amount.to_dict()

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
                "method": method,
                "amount": amount,
            }
        )
        if sandbox is not UNSET:
            field_dict["sandbox"] = sandbox

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.positive_money import PositiveMoney  # noqa: PLC0415

        d = dict(src_dict)
        method = check_deposit_create_method(d.pop("method"))

        amount = PositiveMoney.from_dict(d.pop("amount"))

        def _parse_sandbox(data: object) -> DepositCreateSandboxType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sandbox_type_0 = check_deposit_create_sandbox_type_0(data)

                return sandbox_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DepositCreateSandboxType0 | None | Unset, data)

        sandbox = _parse_sandbox(d.pop("sandbox", UNSET))

        deposit_create = cls(
            method=method,
            amount=amount,
            sandbox=sandbox,
        )

        return deposit_create
