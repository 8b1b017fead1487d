"""Export and deletion of an account (SPEC: a person can take their data and leave).

Export: everything the wallet holds about the account, read through each room's own rules as its holder
sees it (a private tipper stays unnamed even in an operator's export), plus where the rest lives.

Deletion: refused while money is left or in flight (the holder pays out or asks for a refund first); then
the personal data is erased, the API keys revoked, and ``wallet.account.deleted`` tells the other services.
The account id stays: it is the pseudonym the ledger's rows keep (the ledger never held names or emails).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from sqlalchemy import func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_events.wallet import AccountDeleted
from trickle_kit.auth import Principal
from trickle_kit.envelope import utcnow
from trickle_kit.pagination import PageParams
from trickle_kit.problems import ProblemError
from trickle_kit.readable import Reader
from trickle_wallet.account_data.schemas import AccountExport, ElsewhereLink
from trickle_wallet.accounts import service as accounts
from trickle_wallet.accounts.models import Account
from trickle_wallet.accounts.schemas import Account as AccountOut
from trickle_wallet.balances.service import balances_of
from trickle_wallet.budgets import service as budgets
from trickle_wallet.credentials.models import ApiKey
from trickle_wallet.credentials.schemas import ApiKey as ApiKeyOut
from trickle_wallet.deposits import service as deposits
from trickle_wallet.deposits.models import Deposit
from trickle_wallet.oauth import clients as oauth_clients
from trickle_wallet.oauth.grants import revoke_all_for_account
from trickle_wallet.outbox import OUTBOX
from trickle_wallet.outgoing.models import IN_FLIGHT
from trickle_wallet.payouts import service as payouts
from trickle_wallet.payouts.models import Payout
from trickle_wallet.refunds import service as refunds
from trickle_wallet.refunds.models import Refund
from trickle_wallet.settings import Settings
from trickle_wallet.sign_in import service as sign_in
from trickle_wallet.sign_in.schemas import SignInExport
from trickle_wallet.transfers import service as transfers
from trickle_wallet.transfers.models import Transfer

T = TypeVar("T")
EXPORT_PAGE = 500
DELETED_NAME = "Deleted account"

# Where the rest of an account's data lives (each readable by the holder with their own token).
ELSEWHERE = [
    ElsewhereLink(
        service="settlement",
        holds="the ledger: every posting on the account's wallet, earnings and reservations",
        endpoint="GET /v1/ledger/accounts/{account_id}/statement.csv",
    ),
    ElsewhereLink(service="click-ledger", holds="the account's clicks (every period)", endpoint="GET /v1/clicks"),
    ElsewhereLink(service="click-ledger", holds="the account's subscriptions", endpoint="GET /v1/subscriptions"),
    ElsewhereLink(service="click-ledger", holds="the things the account owns", endpoint="GET /v1/things"),
    ElsewhereLink(service="click-ledger", holds="the account's ownership claims", endpoint="GET /v1/claims"),
    ElsewhereLink(service="webhook", holds="the account's webhook endpoints", endpoint="GET /v1/webhook-endpoints"),
]


async def _every(
    page: Callable[[PageParams], Awaitable[tuple[Sequence[T], bool]]], cursor: Callable[[T], str]
) -> list[T]:
    """Every row of a paginated read, page by page."""
    out: list[T] = []
    params = PageParams(limit=EXPORT_PAGE, starting_after=None)
    while True:
        rows, has_more = await page(params)
        out.extend(rows)
        if not has_more or not rows:
            return out
        params = PageParams(limit=EXPORT_PAGE, starting_after=cursor(rows[-1]))


async def export(session: AsyncSession, settings: Settings, principal: Principal, account_id: str) -> AccountExport:
    """Everything the wallet holds about ``account_id`` (the holder or an operator asks; 404 for anyone else)."""
    account = await accounts.get_account_for(session, principal, account_id)
    holder = Reader.for_account(account.id)
    keys = (await session.execute(select(ApiKey).where(ApiKey.account_id == account.id).order_by(ApiKey.id))).scalars()
    deposit_rows = await _every(lambda p: deposits.list_deposits(session, holder, p), lambda d: d.id)
    payout_rows = await _every(lambda p: payouts.list_payouts(session, holder, p), lambda p: p.id)
    refund_rows = await _every(lambda p: refunds.list_refunds(session, holder, p), lambda r: r.id)
    transfer_rows = await _every(lambda p: transfers.list_transfers(session, holder, "all", p), lambda t: t.id)
    credential = await sign_in.credential_for_export(session, account.id)
    return AccountExport(
        exported_at=utcnow(),
        account=AccountOut.model_validate(account),
        balances=await balances_of(session, account.id, account.currency),
        budget=await budgets.get_budget(session, settings, principal, account.id),
        api_keys=[ApiKeyOut.model_validate(k) for k in keys],
        deposits=[deposits.deposit_out(d) for d in deposit_rows],
        transfers=transfer_rows,
        payouts=[payouts.payout_out(p) for p in payout_rows],
        refunds=[refunds.refund_out(r) for r in refund_rows],
        sign_in=None if credential is None else SignInExport.model_validate(credential),
        elsewhere=[
            link.model_copy(update={"endpoint": link.endpoint.format(account_id=account.id)}) for link in ELSEWHERE
        ],
    )


def _refused(code: str, detail: str) -> ProblemError:
    return ProblemError(409, code, "Account cannot be deleted yet", detail)


async def _ensure_nothing_left(session: AsyncSession, account: Account) -> None:
    """Deletion waits until no money is left on the account nor on its way (SPEC: handled before deletion)."""
    balances = await balances_of(session, account.id, account.currency)
    left = {
        name: m.amount
        for name, m in (("wallet", balances.wallet), ("earnings", balances.earnings), ("reserved", balances.reserved))
        if m.amount
    }
    if left:
        amounts = ", ".join(f"{name} {amount} {account.currency} minor units" for name, amount in left.items())
        raise _refused(
            "balance_not_zero",
            f"The account still holds money ({amounts}): ask for the wallet's unspent balance back "
            "(POST /v1/refunds), request a payout of the earnings (POST /v1/payouts), wait until they are paid "
            "(a reserved amount is one on its way), then delete the account",
        )
    in_flight = [
        ("deposits pending", select(func.count()).where(Deposit.account_id == account.id, Deposit.status == "pending")),
        (
            "payouts in progress",
            select(func.count()).where(Payout.account_id == account.id, Payout.status.in_(IN_FLIGHT)),
        ),
        (
            "refunds in progress",
            select(func.count()).where(Refund.account_id == account.id, Refund.status.in_(IN_FLIGHT)),
        ),
        (
            "transfers pending",
            select(func.count()).where(
                or_(Transfer.from_account_id == account.id, Transfer.to_account_id == account.id),
                Transfer.status == "pending",
            ),
        ),
    ]
    busy = [f"{n} {what}" for what, stmt in in_flight if (n := int((await session.execute(stmt)).scalar_one()))]
    if busy:
        raise _refused("money_in_flight", f"Money is on its way ({', '.join(busy)}): wait until it has arrived")


async def delete(session: AsyncSession, principal: Principal, account_id: str) -> Account:
    """Erase the account's personal data, revoke its keys and announce it; a deleted account answers as it is."""
    account = await accounts.get_account_for(session, principal, account_id, for_update=True)
    if account.deleted_at is not None:
        return account
    await _ensure_nothing_left(session, account)
    now = utcnow()
    account.display_name = DELETED_NAME
    account.email = f"{account.id}@deleted.invalid"  # unique, like the address it replaces; .invalid never routes
    account.giving_public = False
    if not account.suspended:
        account.suspended, account.suspended_at = True, now
    account.suspended_reason = "deleted by its holder"
    account.deleted_at = now
    account.updated_at = now
    # What the person wrote: the notes of the tips they sent.
    await session.execute(update(Transfer).where(Transfer.from_account_id == account.id).values(note=None))
    await session.execute(
        update(ApiKey).where(ApiKey.account_id == account.id, ApiKey.revoked_at.is_(None)).values(revoked_at=now)
    )
    await session.execute(update(ApiKey).where(ApiKey.account_id == account.id).values(name="deleted"))
    await revoke_all_for_account(session, account.id, "account_deleted")
    await oauth_clients.end_apps_of(session, account.id)
    # The sign-in credential (the address), its links and the mail sent to it.
    await sign_in.erase(session, account.id)
    # The outbox keeps every event it staged: the account's earlier states carried its name, its tips their notes.
    # Rows are found by the columns the events fill from those fields (an account event's subject is the
    # account, a transfer request's key its sender): payloads are text, and only the account's own are parsed.
    await session.execute(
        text(
            "UPDATE outbox SET payload = "
            "jsonb_set(payload::jsonb, '{display_name}', to_jsonb(CAST(:name AS text)))::text "
            "WHERE event_type LIKE 'wallet.account.%' AND subject = :id"
        ),
        {"id": account.id, "name": DELETED_NAME},
    )
    await session.execute(
        text(
            "UPDATE outbox SET payload = jsonb_set(payload::jsonb, '{note}', 'null'::jsonb)::text "
            "WHERE event_type = 'wallet.transfer.requested' AND key = :id"
        ),
        {"id": account.id},
    )
    # Stored responses (the registration's carries the email) go with the account.
    await session.execute(
        text("DELETE FROM idempotency_keys WHERE position(convert_to(:id, 'UTF8') IN response_body) > 0"),
        {"id": account.id},
    )
    await session.flush()
    await OUTBOX.add(session, AccountDeleted.model_validate(accounts.account_state(account)))
    return account
