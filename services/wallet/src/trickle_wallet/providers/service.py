"""Applying a verified provider callback exactly once, whatever order and how often callbacks arrive."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_wallet.deposits import service as deposits
from trickle_wallet.payouts import service as payouts
from trickle_wallet.providers.base import ProviderResult
from trickle_wallet.providers.models import ProviderCallback
from trickle_wallet.providers.schemas import CallbackOutcome
from trickle_wallet.refunds import service as refunds


async def apply_callback(session: AsyncSession, provider: str, result: ProviderResult) -> CallbackOutcome:
    """Record the callback (a second delivery of the same id is a no-op) and apply it to its deposit, payout or
    refund."""
    claimed = (
        await session.execute(
            insert(ProviderCallback)
            .values(
                provider=provider,
                callback_id=result.id,
                object_type=result.object,
                reference=result.reference,
                status=result.status,
                outcome="applied",
            )
            .on_conflict_do_nothing()
            .returning(ProviderCallback.callback_id)
        )
    ).scalar_one_or_none()
    if claimed is None:
        return "duplicate"
    if result.object == "deposit":
        outcome = await deposits.apply_provider_result(session, result)
    elif result.object == "refund":
        outcome = await refunds.apply_provider_result(session, result)
    else:
        outcome = await payouts.apply_provider_result(session, result)
    await session.execute(
        update(ProviderCallback)
        .where(ProviderCallback.provider == provider, ProviderCallback.callback_id == result.id)
        .values(outcome=outcome)
    )
    return outcome
