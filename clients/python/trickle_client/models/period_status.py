from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.period_status_status import PeriodStatusStatus, check_period_status_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.close_progress import CloseProgress
    from ..models.period_totals import PeriodTotals
    from ..models.seal_marker import SealMarker


T = TypeVar("T", bound="PeriodStatus")


@_attrs_define
class PeriodStatus:
    """Settlement status of a period: ``open`` (not closing yet; ``reason`` says what it waits for),
    ``closing`` (the close is running or will resume) or ``closed``.

        Attributes:
            period (str):
            status (PeriodStatusStatus):
            seal_markers (list[SealMarker]):
            reason (None | str | Unset): Why an automatic close has not started
            started_by (None | str | Unset):
            started_at (datetime.datetime | None | Unset):
            closed_at (datetime.datetime | None | Unset):
            totals (None | PeriodTotals | Unset): Operators only
            progress (CloseProgress | None | Unset): Operators only
    """

    period: str
    status: PeriodStatusStatus
    seal_markers: list[SealMarker]
    reason: None | str | Unset = UNSET
    started_by: None | str | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    closed_at: datetime.datetime | None | Unset = UNSET
    totals: None | PeriodTotals | Unset = UNSET
    progress: CloseProgress | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.close_progress import CloseProgress  # noqa: PLC0415
        from ..models.period_totals import PeriodTotals  # noqa: PLC0415

        period = self.period

        status: str = self.status

        seal_markers = []
        for seal_markers_item_data in self.seal_markers:
            seal_markers_item = seal_markers_item_data.to_dict()
            seal_markers.append(seal_markers_item)

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        started_by: None | str | Unset
        if isinstance(self.started_by, Unset):
            started_by = UNSET
        else:
            started_by = self.started_by

        started_at: None | str | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        elif isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        closed_at: None | str | Unset
        if isinstance(self.closed_at, Unset):
            closed_at = UNSET
        elif isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        totals: dict[str, Any] | None | Unset
        if isinstance(self.totals, Unset):
            totals = UNSET
        elif isinstance(self.totals, PeriodTotals):
            totals = self.totals.to_dict()
        else:
            totals = self.totals

        progress: dict[str, Any] | None | Unset
        if isinstance(self.progress, Unset):
            progress = UNSET
        elif isinstance(self.progress, CloseProgress):
            progress = self.progress.to_dict()
        else:
            progress = self.progress

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "period": period,
                "status": status,
                "seal_markers": seal_markers,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason
        if started_by is not UNSET:
            field_dict["started_by"] = started_by
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if closed_at is not UNSET:
            field_dict["closed_at"] = closed_at
        if totals is not UNSET:
            field_dict["totals"] = totals
        if progress is not UNSET:
            field_dict["progress"] = progress

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.close_progress import CloseProgress  # noqa: PLC0415
        from ..models.period_totals import PeriodTotals  # noqa: PLC0415
        from ..models.seal_marker import SealMarker  # noqa: PLC0415

        d = dict(src_dict)
        period = d.pop("period")

        status = check_period_status_status(d.pop("status"))

        seal_markers = []
        _seal_markers = d.pop("seal_markers")
        for seal_markers_item_data in _seal_markers:
            seal_markers_item = SealMarker.from_dict(seal_markers_item_data)

            seal_markers.append(seal_markers_item)

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_started_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        started_by = _parse_started_by(d.pop("started_by", UNSET))

        def _parse_started_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        started_at = _parse_started_at(d.pop("started_at", UNSET))

        def _parse_closed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)

                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        closed_at = _parse_closed_at(d.pop("closed_at", UNSET))

        def _parse_totals(data: object) -> None | PeriodTotals | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                totals_type_0 = PeriodTotals.from_dict(data)

                return totals_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PeriodTotals | Unset, data)

        totals = _parse_totals(d.pop("totals", UNSET))

        def _parse_progress(data: object) -> CloseProgress | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                progress_type_0 = CloseProgress.from_dict(data)

                return progress_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CloseProgress | None | Unset, data)

        progress = _parse_progress(d.pop("progress", UNSET))

        period_status = cls(
            period=period,
            status=status,
            seal_markers=seal_markers,
            reason=reason,
            started_by=started_by,
            started_at=started_at,
            closed_at=closed_at,
            totals=totals,
            progress=progress,
        )

        period_status.additional_properties = d
        return period_status

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
