"""Period close API: a period's settlement status, and the operator's close."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit.dependencies import Sessions
from trickle_kit.money import Money
from trickle_kit.problems import ProblemError, conflict, not_found, problem_responses
from trickle_settlement.close.gate import CloseNotStartable, start_close
from trickle_settlement.close.models import PeriodClose
from trickle_settlement.close.progress import close_progress
from trickle_settlement.close.repository import get_period, seal_markers
from trickle_settlement.close.schemas import CloseProgress, PeriodStatus, PeriodTotals, SealMarkerOut
from trickle_settlement.deps import LedgerRead, Operator

router = APIRouter(prefix="/v1/periods", tags=["periods"])

PeriodPath = Annotated[str, Path(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", examples=["2026-11"], description="YYYY-MM")]


async def _status(session: AsyncSession, row: PeriodClose, *, with_totals: bool) -> PeriodStatus:
    markers = await seal_markers(session, row.period)
    currency = row.currency
    progress = await close_progress(session, row.period, row.status) if with_totals else None
    return PeriodStatus(
        period=row.period,
        status=row.status,
        reason=row.reason,
        started_by=row.started_by,
        started_at=row.started_at,
        closed_at=row.closed_at,
        seal_markers=[
            SealMarkerOut(
                partition=m.partition,
                partitions=m.partitions,
                click_count=m.click_count,
                revoked_count=m.revoked_count,
                received_at=m.received_at,
            )
            for m in markers
        ],
        totals=PeriodTotals(
            patrons_settled=row.patrons_settled,
            spent=Money(amount=row.total_spent, currency=currency),
            commission=Money(amount=row.total_commission, currency=currency),
            escrow=Money(amount=row.total_escrow, currency=currency),
        )
        if with_totals
        else None,
        progress=CloseProgress(patrons_done=progress.patrons_done, patrons_total=progress.patrons_total)
        if progress is not None
        else None,
    )


@router.get("/{period}", response_model=PeriodStatus, responses=problem_responses(401, 403, 404, 422))
async def get_period_status(sessions: Sessions, period: PeriodPath, principal: LedgerRead) -> PeriodStatus:
    """Where the settlement of a period stands; totals for operators."""
    async with sessions() as session:
        row = await get_period(session, period)
        if row is None:
            raise not_found("Period", period)
        return await _status(session, row, with_totals=principal.is_operator)


@router.post(
    "/{period}/close", status_code=202, response_model=PeriodStatus, responses=problem_responses(401, 403, 409, 422)
)
async def close_period(sessions: Sessions, period: PeriodPath, principal: Operator) -> PeriodStatus:
    """Start closing a period now, whatever the seal markers say (operator). The worker runs the close;
    poll ``GET /v1/periods/{period}``. Asking again while it is closing answers the same 202."""
    async with sessions() as session, session.begin():
        try:
            row = await start_close(session, period, "operator")
        except CloseNotStartable as exc:
            if exc.status == "closed":
                raise conflict("period_already_closed", f"Period {period} is already closed") from exc
            existing = await get_period(session, period)
            if existing is None:  # pragma: no cover - start_close created it
                raise ProblemError(500, "internal_error", "Internal error") from exc
            row = existing
        status = await _status(session, row, with_totals=True)
    return status
