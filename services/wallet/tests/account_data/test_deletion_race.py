"""A deletion and a new money flow racing: the flow waits for the deletion and is refused, never lands after it."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text, update

from trickle_kit.envelope import utcnow
from trickle_kit.testing import wait_until
from trickle_wallet.accounts.models import Account
from trickle_wallet.deposits.models import Deposit
from trickle_wallet.transfers.models import Transfer

from ..support.money import eur


async def _someone_waits_on_a_lock(app: Any) -> bool:
    async with app.state.sessions() as session:
        stmt = text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return int((await session.execute(stmt)).scalar_one()) > 0


@pytest.mark.parametrize("flow", ["deposit", "tip_to_it"])
async def test_a_flow_started_while_the_account_is_being_deleted_is_refused(
    app: Any, client: httpx.AsyncClient, register: Any, tokens: Any, sandbox: Any, flow: str
) -> None:
    doomed = (await register())["account"]["id"]
    other = (await register())["account"]["id"]
    async with app.state.sessions() as deleting, deleting.begin():
        # The deletion's transaction, between its check (nothing left) and its commit.
        await deleting.execute(select(Account).where(Account.id == doomed).with_for_update())
        await deleting.execute(update(Account).where(Account.id == doomed).values(suspended=True, deleted_at=utcnow()))
        if flow == "deposit":
            body = {"method": "card", "amount": eur(1_000), "sandbox": "timeout"}
            request = client.post("/v1/deposits", json=body, headers=tokens.headers(doomed))
        else:
            body = {"to_account_id": doomed, "amount": eur(100)}
            request = client.post("/v1/transfers", json=body, headers=tokens.headers(other))
        task = asyncio.create_task(request)
        await wait_until(lambda: _someone_waits_on_a_lock(app))
    r = await task
    assert (r.status_code, r.json()["code"]) == (
        (409, "account_deleted") if flow == "deposit" else (422, "unknown_recipient")
    ), r.text
    async with app.state.sessions() as session:
        deposits = select(func.count()).select_from(Deposit).where(Deposit.account_id == doomed)
        tips = select(func.count()).select_from(Transfer).where(Transfer.to_account_id == doomed)
        assert (await session.execute(deposits)).scalar_one() == 0
        assert (await session.execute(tips)).scalar_one() == 0
