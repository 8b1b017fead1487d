"""Transfers (tips): requested here, answered by the ledger. Functions take a session; callers commit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import structlog
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_events.ledger import TransferCompleted, TransferRejected
from trickle_events.wallet import TransferRequested
from trickle_kit.envelope import utcnow
from trickle_kit.errors import InvalidInput
from trickle_kit.ids import new_id
from trickle_kit.inbox import PermanentError
from trickle_kit.money import Money
from trickle_kit.pagination import PageParams, paginate
from trickle_kit.problems import not_found
from trickle_kit.readable import Reader
from trickle_wallet.accounts import service as accounts
from trickle_wallet.accounts.models import Account
from trickle_wallet.outbox import OUTBOX
from trickle_wallet.settings import Settings
from trickle_wallet.transfers.models import Transfer
from trickle_wallet.transfers.schemas import TransferCreate, TransferOut

log = structlog.get_logger("trickle.wallet.transfers")

Direction = Literal["all", "sent", "received"]


async def _account(session: AsyncSession, account_id: str) -> Account | None:
    return (await session.execute(select(Account).where(Account.id == account_id))).scalar_one_or_none()


async def request_transfer(
    session: AsyncSession, settings: Settings, from_account_id: str, request: TransferCreate
) -> Transfer:
    """A pending transfer and its ``wallet.transfer.requested`` event; the ledger decides."""
    sender = await _account(session, from_account_id)
    if sender is None:
        raise not_found("Account", from_account_id)
    await accounts.lock_active(session, sender)
    if request.to_account_id == sender.id:
        raise InvalidInput("transfer_to_self", "An account cannot tip itself", "to_account_id")
    recipient = await _account(session, request.to_account_id)
    if recipient is not None:  # held like the sender: a deletion waits for this tip, or refuses it
        await session.refresh(recipient, with_for_update={"read": True})
    if recipient is None or recipient.deleted_at is not None:  # a deleted account receives nothing new
        raise InvalidInput("unknown_recipient", "No account has this id", "to_account_id")
    if request.amount.currency != sender.currency or recipient.currency != sender.currency:
        raise InvalidInput(
            "currency_mismatch",
            f"Both accounts must hold {request.amount.currency}; the sender holds {sender.currency}, "
            f"the recipient {recipient.currency}",
            "amount.currency",
        )
    if request.amount.amount > settings.transfer_max_amount:
        raise InvalidInput(
            "amount_out_of_range",
            f"Transfers are limited to {settings.transfer_max_amount} minor units",
            "amount.amount",
        )
    now = utcnow()
    transfer = Transfer(
        id=new_id("tr"),
        from_account_id=sender.id,
        to_account_id=recipient.id,
        currency=request.amount.currency,
        amount=request.amount.amount,
        note=request.note,
        status="pending",
        created_at=now,
        updated_at=now,
    )
    session.add(transfer)
    await session.flush()
    await OUTBOX.add(
        session,
        TransferRequested(
            transfer_id=transfer.id,
            from_account_id=transfer.from_account_id,
            to_account_id=transfer.to_account_id,
            amount=request.amount,
            note=transfer.note,
        ),
    )
    return transfer


async def _locked(session: AsyncSession, transfer_id: str) -> Transfer:
    stmt = (
        select(Transfer).where(Transfer.id == transfer_id).with_for_update().execution_options(populate_existing=True)
    )
    transfer = (await session.execute(stmt)).scalar_one_or_none()
    if transfer is None:
        raise PermanentError(f"unknown transfer {transfer_id}")
    return transfer


def _check_amount(transfer: Transfer, amount: Money) -> None:
    if amount != Money(amount=transfer.amount, currency=transfer.currency):
        raise PermanentError(f"transfer {transfer.id}: the ledger's amount {amount} is not the requested one")


async def on_transfer_completed(session: AsyncSession, event: TransferCompleted) -> None:
    transfer = await _locked(session, event.transfer_id)
    _check_amount(transfer, event.amount)
    if transfer.status != "pending":
        if transfer.status != "completed":
            log.error("transfer_outcome_conflict", transfer_id=transfer.id, status=transfer.status, got="completed")
        return
    now = utcnow()
    transfer.status, transfer.updated_at, transfer.completed_at = "completed", now, now
    transfer.commission, transfer.net = event.commission.amount, event.net.amount
    transfer.ledger_entry_id = event.entry_id


async def on_transfer_rejected(session: AsyncSession, event: TransferRejected) -> None:
    transfer = await _locked(session, event.transfer_id)
    _check_amount(transfer, event.amount)
    if transfer.status != "pending":
        if transfer.status != "rejected":
            log.error("transfer_outcome_conflict", transfer_id=transfer.id, status=transfer.status, got="rejected")
        return
    now = utcnow()
    transfer.status, transfer.updated_at, transfer.completed_at = "rejected", now, now
    transfer.rejection_reason = event.reason[:200]


def _readable(reader: Reader) -> Select[Transfer]:
    """Transfers the reader sent or received (operators: all)."""
    return reader.scope(select(Transfer), Transfer.from_account_id, Transfer.to_account_id)


async def _public_senders(session: AsyncSession, transfers: Sequence[Transfer]) -> set[str]:
    senders = {t.from_account_id for t in transfers}
    if not senders:
        return set()
    stmt = select(Account.id).where(Account.id.in_(sorted(senders)), Account.giving_public.is_(True))
    return set((await session.execute(stmt)).scalars())


async def read_transfer(session: AsyncSession, reader: Reader, transfer_id: str) -> TransferOut:
    """The transfer if the reader sent or received it (or is an operator), as the reader may see it."""
    transfer = (await session.execute(_readable(reader).where(Transfer.id == transfer_id))).scalar_one_or_none()
    if transfer is None:
        raise not_found("Transfer", transfer_id)
    return transfer_out(transfer, reader, await _public_senders(session, [transfer]))


async def list_transfers(
    session: AsyncSession, reader: Reader, direction: Direction, params: PageParams
) -> tuple[list[TransferOut], bool]:
    """The reader's own transfers, oldest first (``direction``: which side the reader is on)."""
    stmt = _readable(reader)
    if direction == "sent":
        stmt = stmt.where(reader.holds_column(Transfer.from_account_id))
    elif direction == "received":
        stmt = stmt.where(reader.holds_column(Transfer.to_account_id))
    rows, has_more = await paginate(session, stmt, Transfer.id, params)
    public = await _public_senders(session, rows)
    return [transfer_out(t, reader, public) for t in rows], has_more


def transfer_out(t: Transfer, reader: Reader, public_senders: set[str] | frozenset[str] = frozenset()) -> TransferOut:
    """A transfer as ``reader`` sees it: a sender who gives privately stays unnamed to the recipient (SPEC 4)."""
    public_ids = [t.from_account_id] if t.from_account_id in public_senders else []

    def money(amount: int | None) -> Money | None:
        return None if amount is None else Money(amount=amount, currency=t.currency)

    return TransferOut.model_validate(
        {
            "id": t.id,
            "from_account_id": reader.reveal(t.from_account_id, public=bool(public_ids)),
            # Whoever may read a transfer knows its recipient: the sender chose it, the recipient holds it.
            "to_account_id": t.to_account_id,
            "amount": money(t.amount),
            "note": reader.mask(t.note, public_ids=public_ids),
            "status": t.status,
            "commission": money(t.commission),
            "net": money(t.net),
            "ledger_entry_id": t.ledger_entry_id,
            "rejection_reason": reader.mask(t.rejection_reason, public_ids=public_ids),
            "created_at": t.created_at,
            "updated_at": t.updated_at,
            "completed_at": t.completed_at,
        }
    )
