"""Operator endpoints: finish what is in flight past its deadline now; check a day's provider fees."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from trickle_kit.dependencies import Sessions
from trickle_kit.problems import problem_responses
from trickle_wallet.deps import AppSettings, Operator, Provider
from trickle_wallet.reconciliation import service
from trickle_wallet.reconciliation.schemas import FeeReconciliationOut, ReconciliationOut

router = APIRouter(prefix="/v1/providers", tags=["reconciliation"])

# Days the provider could have a report for; outside, the day is refused (422) rather than computed with.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(9999, 12, 30)


@router.post(
    "/reconcile",
    response_model=ReconciliationOut,
    responses=problem_responses(401, 403, 429),
    summary="Finish deposits and payouts whose provider callback is overdue, from the provider's answer",
)
async def reconcile_in_flight(
    principal: Operator, sessions: Sessions, settings: AppSettings, provider: Provider
) -> ReconciliationOut:
    """Operators only. Asks the payment provider about every deposit still `pending` longer than
    `reconcile_deposits_after_s` and every payout still `processing` longer than `reconcile_payouts_after_s`,
    and applies its final answers exactly as their callbacks would have been applied (a callback that arrives
    later changes nothing). The wallet worker does the same every `reconcile_interval_s`; this runs it once, now.
    Returns every order asked about and what became of it."""
    return await service.reconcile(sessions, provider, settings)


@router.get(
    "/fees",
    response_model=FeeReconciliationOut,
    responses=problem_responses(401, 403, 422, 429),
    summary="Reconcile a day's provider fees against the fees the wallet recorded",
)
async def reconcile_provider_fees(
    principal: Operator,
    sessions: Sessions,
    provider: Provider,
    day: Annotated[date, Query(ge=FIRST_DAY, le=LAST_DAY, description="The UTC day, YYYY-MM-DD")],
) -> FeeReconciliationOut:
    """Operators only. The provider's fee report for `day` against the fees of the deposits made with it that
    day (UTC, by creation) that succeeded. Differences are reported, and logged, but no money moves."""
    async with sessions() as session:
        return await service.reconcile_fees(session, provider, day)
