from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.refund_sandbox_type_0 import RefundSandboxType0, check_refund_sandbox_type_0
from ..models.refund_status import RefundStatus, check_refund_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="Refund")


@_attrs_define
class Refund:
    """
    Attributes:
        id (str):
        account_id (str):
        amount (Money): An amount in minor units (cents) and its currency.
        provider (str):
        status (RefundStatus): requested → reserved (by the ledger, out of the wallet) → processing (at the provider) →
            paid | failed (the reservation goes back to the wallet); or rejected by the ledger
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        reason (None | str | Unset): Why it was rejected or failed
        sandbox (None | RefundSandboxType0 | Unset):
        completed_at (datetime.datetime | None | Unset):
    """

    id: str
    account_id: str
    amount: Money
    provider: str
    status: RefundStatus
    created_at: datetime.datetime
    updated_at: datetime.datetime
    reason: None | str | Unset = UNSET
    sandbox: None | RefundSandboxType0 | Unset = UNSET
    completed_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        account_id = self.account_id

        amount = self.amount.to_dict()

        provider = self.provider

        status: str = self.status

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        sandbox: None | str | Unset
        if isinstance(self.sandbox, Unset):
            sandbox = UNSET
        elif isinstance(self.sandbox, str):
            sandbox = self.sandbox
        else:
            sandbox = self.sandbox

        completed_at: None | str | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        elif isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "account_id": account_id,
                "amount": amount,
                "provider": provider,
                "status": status,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason
        if sandbox is not UNSET:
            field_dict["sandbox"] = sandbox
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        account_id = d.pop("account_id")

        amount = Money.from_dict(d.pop("amount"))

        provider = d.pop("provider")

        status = check_refund_status(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_sandbox(data: object) -> None | RefundSandboxType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sandbox_type_0 = check_refund_sandbox_type_0(data)

                return sandbox_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RefundSandboxType0 | Unset, data)

        sandbox = _parse_sandbox(d.pop("sandbox", UNSET))

        def _parse_completed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        completed_at = _parse_completed_at(d.pop("completed_at", UNSET))

        refund = cls(
            id=id,
            account_id=account_id,
            amount=amount,
            provider=provider,
            status=status,
            created_at=created_at,
            updated_at=updated_at,
            reason=reason,
            sandbox=sandbox,
            completed_at=completed_at,
        )

        refund.additional_properties = d
        return refund

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
