"""One path for money going out to a holder through a provider (payouts, refunds): the ledger's reservation
answers, the hand-over to the provider, its outcome (callback or reconciler), and the scoped reads.

Each flow names its table, the provider operation that sends the money, and the events announcing the outcome;
the rest is the same for every flow, so a payout and a refund cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_events.base import Event
from trickle_kit.auth import Principal
from trickle_kit.envelope import utcnow
from trickle_kit.errors import InvalidInput
from trickle_kit.inbox import PermanentError
from trickle_kit.money import Money
from trickle_kit.pagination import PageParams, paginate
from trickle_kit.problems import not_found
from trickle_kit.readable import Reader
from trickle_wallet.outbox import OUTBOX
from trickle_wallet.outgoing.models import OutgoingPayment
from trickle_wallet.providers.base import OrderKind, PaymentOrder, PaymentProvider, ProviderResult
from trickle_wallet.providers.schemas import CallbackOutcome

log = structlog.get_logger("trickle.wallet.outgoing")

M = TypeVar("M", bound=OutgoingPayment)

Send = Callable[[PaymentProvider, PaymentOrder], Awaitable[str]]
"""The provider operation that pays the order out (``start`` for a payout, ``refund`` for a refund)."""


def money_of(p: OutgoingPayment) -> Money:
    return Money(amount=p.amount, currency=p.currency)


@dataclass(frozen=True)
class OutgoingFlow(Generic[M]):
    kind: OrderKind
    label: str  # as the resource is named in problems: "Payout", "Refund"
    model: type[M]
    send: Send
    paid: Callable[[M], Event]
    failed: Callable[[M], Event]

    def order(self, p: M) -> PaymentOrder:
        return PaymentOrder(self.kind, p.id, money_of(p), p.sandbox)

    async def locked(self, session: AsyncSession, request_id: str) -> M | None:
        stmt = (
            select(self.model)
            .where(self.model.id == request_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return (await session.execute(stmt)).scalar_one_or_none()

    async def _locked_for_event(self, session: AsyncSession, request_id: str, amount: Money) -> M:
        row = await self.locked(session, request_id)
        if row is None:
            raise PermanentError(f"unknown {self.kind} {request_id}")
        if amount != money_of(row):
            raise PermanentError(f"{self.kind} {request_id}: the ledger's amount {amount} is not the requested one")
        return row

    async def on_reserved(self, session: AsyncSession, request_id: str, amount: Money, entry_id: str) -> None:
        """The ledger reserved it: ready for the provider."""
        row = await self._locked_for_event(session, request_id, amount)
        if row.status != "requested":
            return  # redelivered, or already further along
        row.status, row.reserve_entry_id, row.updated_at = "reserved", entry_id, utcnow()

    async def on_rejected(self, session: AsyncSession, request_id: str, amount: Money, reason: str) -> None:
        """The ledger refused it: nothing moved."""
        row = await self._locked_for_event(session, request_id, amount)
        if row.status != "requested":
            if row.status != "rejected":
                log.error("outgoing_outcome_conflict", kind=self.kind, id=row.id, status=row.status, got="rejected")
            return
        now = utcnow()
        row.status, row.reason, row.updated_at, row.completed_at = "rejected", reason[:200], now, now

    async def dispatch_reserved(
        self, sessions: async_sessionmaker[AsyncSession], provider: PaymentProvider, limit: int = 50
    ) -> int:
        """Hand reserved requests to the provider (idempotent by reference there); returns how many."""
        async with sessions() as session, session.begin():
            stmt = (
                select(self.model)
                .where(self.model.status == "reserved")
                .order_by(self.model.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
            rows = (await session.execute(stmt)).scalars().all()
            for row in rows:
                # Inside the transaction: if the commit fails the request stays reserved and is handed over again,
                # which the provider deduplicates by reference; its callback waits for our row lock.
                ref = await self.send(provider, self.order(row))
                row.status, row.provider_ref, row.updated_at = "processing", ref, utcnow()
        return len(rows)

    async def apply_provider_result(self, session: AsyncSession, result: ProviderResult) -> CallbackOutcome:
        """Paid or failed at the provider → the flow's paid or failed event (the ledger settles or releases)."""
        row = await self.locked(session, result.reference)
        if row is None:
            raise not_found(self.label, result.reference)
        if result.amount != money_of(row):
            raise InvalidInput("amount_mismatch", f"The callback's amount is not the {self.kind}'s", "amount")
        if row.status not in ("reserved", "processing"):
            if row.status in ("paid", "failed") and result.status in ("pending", _provider_status(row.status)):
                return "unchanged"
            log.warning("late_outgoing_result_ignored", kind=self.kind, id=row.id, status=row.status, got=result.status)
            return "ignored"
        if result.status == "pending":
            return "unchanged"
        now = utcnow()
        row.provider_ref, row.updated_at, row.completed_at = result.provider_ref, now, now
        if result.status == "succeeded":
            row.status = "paid"
            await OUTBOX.add(session, self.paid(row))
        else:
            row.status, row.reason = "failed", (result.reason or "provider_failed")[:200]
            await OUTBOX.add(session, self.failed(row))
        return "applied"

    async def overdue(
        self, session: AsyncSession, provider: str, processing_before: datetime, limit: int
    ) -> list[PaymentOrder]:
        """Requests still processing at ``provider`` since before ``processing_before``, oldest first."""
        stmt = (
            select(self.model)
            .where(
                self.model.status == "processing",
                self.model.provider == provider,
                self.model.updated_at <= processing_before,
            )
            .order_by(self.model.updated_at)
            .limit(limit)
        )
        return [self.order(row) for row in (await session.execute(stmt)).scalars()]

    async def read(self, session: AsyncSession, principal: Principal, request_id: str) -> M:
        stmt = Reader.of(principal).scope(select(self.model).where(self.model.id == request_id), self.model.account_id)
        row = (await session.execute(stmt)).scalar_one_or_none()
        if row is None:
            raise not_found(self.label, request_id)
        return row

    async def list_for(
        self, session: AsyncSession, reader: Reader, params: PageParams, *, status: str | None = None
    ) -> tuple[Sequence[M], bool]:
        """The requests of the accounts the reader holds (operators: all), oldest first; only ``status`` if given."""
        stmt = reader.scope(select(self.model), self.model.account_id)
        if status is not None:
            stmt = stmt.where(self.model.status == status)
        return await paginate(session, stmt, self.model.id, params)


def _provider_status(status: str) -> str:
    return {"paid": "succeeded", "failed": "failed"}.get(status, status)
