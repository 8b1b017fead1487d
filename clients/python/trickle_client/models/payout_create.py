from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.payout_create_sandbox_type_0 import PayoutCreateSandboxType0, check_payout_create_sandbox_type_0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.positive_money import PositiveMoney


T = TypeVar("T", bound="PayoutCreate")


@_attrs_define
class PayoutCreate:
    """
    Attributes:
        amount (PositiveMoney): An amount that must be greater than zero: what a request asks to move (deposit, tip,
            payout).
        sandbox (None | PayoutCreateSandboxType0 | Unset): Sandbox mode only: whether the sandbox provider pays out or
            fails
    """

    amount: PositiveMoney
    sandbox: None | PayoutCreateSandboxType0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
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
        amount = PositiveMoney.from_dict(d.pop("amount"))

        def _parse_sandbox(data: object) -> None | PayoutCreateSandboxType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sandbox_type_0 = check_payout_create_sandbox_type_0(data)

                return sandbox_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PayoutCreateSandboxType0 | Unset, data)

        sandbox = _parse_sandbox(d.pop("sandbox", UNSET))

        payout_create = cls(
            amount=amount,
            sandbox=sandbox,
        )

        return payout_create
