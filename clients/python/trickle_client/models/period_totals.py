from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="PeriodTotals")


@_attrs_define
class PeriodTotals:
    """What a close has settled so far (final once the period is closed).

    Attributes:
        patrons_settled (int): Patrons for whom an entry was posted
        spent (Money): An amount in minor units (cents) and its currency.
        commission (Money): An amount in minor units (cents) and its currency.
        escrow (Money): An amount in minor units (cents) and its currency.
    """

    patrons_settled: int
    spent: Money
    commission: Money
    escrow: Money
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        patrons_settled = self.patrons_settled

        spent = self.spent.to_dict()

        commission = self.commission.to_dict()

        escrow = self.escrow.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "patrons_settled": patrons_settled,
                "spent": spent,
                "commission": commission,
                "escrow": escrow,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        patrons_settled = d.pop("patrons_settled")

        spent = Money.from_dict(d.pop("spent"))

        commission = Money.from_dict(d.pop("commission"))

        escrow = Money.from_dict(d.pop("escrow"))

        period_totals = cls(
            patrons_settled=patrons_settled,
            spent=spent,
            commission=commission,
            escrow=escrow,
        )

        period_totals.additional_properties = d
        return period_totals

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
