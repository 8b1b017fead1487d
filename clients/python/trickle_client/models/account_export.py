from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.account import Account
    from ..models.account_export_elsewhere import AccountExportElsewhere
    from ..models.api_key import ApiKey
    from ..models.balances import Balances
    from ..models.budget import Budget
    from ..models.deposit import Deposit
    from ..models.payout import Payout
    from ..models.refund import Refund
    from ..models.sign_in_export import SignInExport
    from ..models.transfer import Transfer


T = TypeVar("T", bound="AccountExport")


@_attrs_define
class AccountExport:
    """Everything the wallet service holds about one account, as its holder may see it. Secrets are never
    included (API keys appear with their hint only). Clicks, subscriptions, things and the ledger live in
    the other services: ``elsewhere`` names the endpoint of each.

        Attributes:
            exported_at (datetime.datetime):
            account (Account):
            balances (Balances):
            budget (Budget):
            api_keys (list[ApiKey]):
            deposits (list[Deposit]):
            transfers (list[Transfer]): Sent and received; a private sender stays unnamed
            payouts (list[Payout]):
            elsewhere (list[AccountExportElsewhere]):
            refunds (list[Refund] | Unset): Refunds of the wallet's unspent balance
            sign_in (None | SignInExport | Unset): The email and its verification, when the holder signs in with a password
    """

    exported_at: datetime.datetime
    account: Account
    balances: Balances
    budget: Budget
    api_keys: list[ApiKey]
    deposits: list[Deposit]
    transfers: list[Transfer]
    payouts: list[Payout]
    elsewhere: list[AccountExportElsewhere]
    refunds: list[Refund] | Unset = UNSET
    sign_in: None | SignInExport | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.sign_in_export import SignInExport  # noqa: PLC0415

        exported_at = self.exported_at.isoformat()

        account = self.account.to_dict()

        balances = self.balances.to_dict()

        budget = self.budget.to_dict()

        api_keys = []
        for api_keys_item_data in self.api_keys:
            api_keys_item = api_keys_item_data.to_dict()
            api_keys.append(api_keys_item)

        deposits = []
        for deposits_item_data in self.deposits:
            deposits_item = deposits_item_data.to_dict()
            deposits.append(deposits_item)

        transfers = []
        for transfers_item_data in self.transfers:
            transfers_item = transfers_item_data.to_dict()
            transfers.append(transfers_item)

        payouts = []
        for payouts_item_data in self.payouts:
            payouts_item = payouts_item_data.to_dict()
            payouts.append(payouts_item)

        elsewhere = []
        for elsewhere_item_data in self.elsewhere:
            elsewhere_item = elsewhere_item_data.to_dict()
            elsewhere.append(elsewhere_item)

        refunds: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.refunds, Unset):
            refunds = []
            for refunds_item_data in self.refunds:
                refunds_item = refunds_item_data.to_dict()
                refunds.append(refunds_item)

        sign_in: dict[str, Any] | None | Unset
        if isinstance(self.sign_in, Unset):
            sign_in = UNSET
        elif isinstance(self.sign_in, SignInExport):
            sign_in = self.sign_in.to_dict()
        else:
            sign_in = self.sign_in

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "exported_at": exported_at,
                "account": account,
                "balances": balances,
                "budget": budget,
                "api_keys": api_keys,
                "deposits": deposits,
                "transfers": transfers,
                "payouts": payouts,
                "elsewhere": elsewhere,
            }
        )
        if refunds is not UNSET:
            field_dict["refunds"] = refunds
        if sign_in is not UNSET:
            field_dict["sign_in"] = sign_in

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.account import Account  # noqa: PLC0415
        from ..models.account_export_elsewhere import AccountExportElsewhere  # noqa: PLC0415
        from ..models.api_key import ApiKey  # noqa: PLC0415
        from ..models.balances import Balances  # noqa: PLC0415
        from ..models.budget import Budget  # noqa: PLC0415
        from ..models.deposit import Deposit  # noqa: PLC0415
        from ..models.payout import Payout  # noqa: PLC0415
        from ..models.refund import Refund  # noqa: PLC0415
        from ..models.sign_in_export import SignInExport  # noqa: PLC0415
        from ..models.transfer import Transfer  # noqa: PLC0415

        d = dict(src_dict)
        exported_at = datetime.datetime.fromisoformat(d.pop("exported_at"))

        account = Account.from_dict(d.pop("account"))

        balances = Balances.from_dict(d.pop("balances"))

        budget = Budget.from_dict(d.pop("budget"))

        api_keys = []
        _api_keys = d.pop("api_keys")
        for api_keys_item_data in _api_keys:
            api_keys_item = ApiKey.from_dict(api_keys_item_data)

            api_keys.append(api_keys_item)

        deposits = []
        _deposits = d.pop("deposits")
        for deposits_item_data in _deposits:
            deposits_item = Deposit.from_dict(deposits_item_data)

            deposits.append(deposits_item)

        transfers = []
        _transfers = d.pop("transfers")
        for transfers_item_data in _transfers:
            transfers_item = Transfer.from_dict(transfers_item_data)

            transfers.append(transfers_item)

        payouts = []
        _payouts = d.pop("payouts")
        for payouts_item_data in _payouts:
            payouts_item = Payout.from_dict(payouts_item_data)

            payouts.append(payouts_item)

        elsewhere = []
        _elsewhere = d.pop("elsewhere")
        for elsewhere_item_data in _elsewhere:
            elsewhere_item = AccountExportElsewhere.from_dict(elsewhere_item_data)

            elsewhere.append(elsewhere_item)

        _refunds = d.pop("refunds", UNSET)
        refunds: list[Refund] | Unset = UNSET
        if _refunds is not UNSET:
            refunds = []
            for refunds_item_data in _refunds:
                refunds_item = Refund.from_dict(refunds_item_data)

                refunds.append(refunds_item)

        def _parse_sign_in(data: object) -> None | SignInExport | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                sign_in_type_0 = SignInExport.from_dict(data)

                return sign_in_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SignInExport | Unset, data)

        sign_in = _parse_sign_in(d.pop("sign_in", UNSET))

        account_export = cls(
            exported_at=exported_at,
            account=account,
            balances=balances,
            budget=budget,
            api_keys=api_keys,
            deposits=deposits,
            transfers=transfers,
            payouts=payouts,
            elsewhere=elsewhere,
            refunds=refunds,
            sign_in=sign_in,
        )

        account_export.additional_properties = d
        return account_export

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
