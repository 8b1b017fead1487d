from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.deposit_method import DepositMethod, check_deposit_method
from ..models.deposit_sandbox_type_0 import DepositSandboxType0, check_deposit_sandbox_type_0
from ..models.deposit_status import DepositStatus, check_deposit_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="Deposit")


@_attrs_define
class Deposit:
    """
    Attributes:
        id (str):
        account_id (str):
        method (DepositMethod):
        provider (str):
        status (DepositStatus):
        gross (Money): An amount in minor units (cents) and its currency.
        fee (Money): An amount in minor units (cents) and its currency.
        net (Money): An amount in minor units (cents) and its currency.
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        expires_at (datetime.datetime): A deposit still pending then is failed (provider time-out)
        failure_reason (None | str | Unset):
        sandbox (DepositSandboxType0 | None | Unset):
        completed_at (datetime.datetime | None | Unset):
    """

    id: str
    account_id: str
    method: DepositMethod
    provider: str
    status: DepositStatus
    gross: Money
    fee: Money
    net: Money
    created_at: datetime.datetime
    updated_at: datetime.datetime
    expires_at: datetime.datetime
    failure_reason: None | str | Unset = UNSET
    sandbox: DepositSandboxType0 | None | Unset = UNSET
    completed_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        account_id = self.account_id

        method: str = self.method

        provider = self.provider

        status: str = self.status

        gross = self.gross.to_dict()

        fee = self.fee.to_dict()

        net = self.net.to_dict()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        expires_at = self.expires_at.isoformat()

        failure_reason: None | str | Unset
        if isinstance(self.failure_reason, Unset):
            failure_reason = UNSET
        else:
            failure_reason = self.failure_reason

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
                "method": method,
                "provider": provider,
                "status": status,
                "gross": gross,
                "fee": fee,
                "net": net,
                "created_at": created_at,
                "updated_at": updated_at,
                "expires_at": expires_at,
            }
        )
        if failure_reason is not UNSET:
            field_dict["failure_reason"] = failure_reason
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

        method = check_deposit_method(d.pop("method"))

        provider = d.pop("provider")

        status = check_deposit_status(d.pop("status"))

        gross = Money.from_dict(d.pop("gross"))

        fee = Money.from_dict(d.pop("fee"))

        net = Money.from_dict(d.pop("net"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        def _parse_failure_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        failure_reason = _parse_failure_reason(d.pop("failure_reason", UNSET))

        def _parse_sandbox(data: object) -> DepositSandboxType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sandbox_type_0 = check_deposit_sandbox_type_0(data)

                return sandbox_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DepositSandboxType0 | None | Unset, data)

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

        deposit = cls(
            id=id,
            account_id=account_id,
            method=method,
            provider=provider,
            status=status,
            gross=gross,
            fee=fee,
            net=net,
            created_at=created_at,
            updated_at=updated_at,
            expires_at=expires_at,
            failure_reason=failure_reason,
            sandbox=sandbox,
            completed_at=completed_at,
        )

        deposit.additional_properties = d
        return deposit

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
