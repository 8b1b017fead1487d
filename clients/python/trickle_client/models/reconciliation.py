from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.reconciled_order import ReconciledOrder


T = TypeVar("T", bound="Reconciliation")


@_attrs_define
class Reconciliation:
    """
    Attributes:
        checked (int): Deposits and payouts past their deadline that the provider was asked about
        finished (int): How many of them this run finished (outcome applied)
        orders (list[ReconciledOrder]):
    """

    checked: int
    finished: int
    orders: list[ReconciledOrder]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        checked = self.checked

        finished = self.finished

        orders = []
        for orders_item_data in self.orders:
            orders_item = orders_item_data.to_dict()
            orders.append(orders_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "checked": checked,
                "finished": finished,
                "orders": orders,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.reconciled_order import ReconciledOrder  # noqa: PLC0415

        d = dict(src_dict)
        checked = d.pop("checked")

        finished = d.pop("finished")

        orders = []
        _orders = d.pop("orders")
        for orders_item_data in _orders:
            orders_item = ReconciledOrder.from_dict(orders_item_data)

            orders.append(orders_item)

        reconciliation = cls(
            checked=checked,
            finished=finished,
            orders=orders,
        )

        reconciliation.additional_properties = d
        return reconciliation

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
