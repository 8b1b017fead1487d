"""A burst of sign-ins at once gets no more answers than the limit allows: attempts whose password was checked
while others' failures locked the key out are answered 429 like the rest, not 401 (each 401 tells an attacker
one more wrong guess). And no attempt holds a database connection while its password is hashed, so a burst of
wrong passwords cannot take the pool that deposits, tips and payouts need (a failure needs a connection of
its own to count)."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from trickle_kit.db import make_engine
from trickle_kit.envelope import utcnow
from trickle_kit.problems import ProblemError
from trickle_wallet.sign_in import passwords
from trickle_wallet.sign_in.models import SignInCredential
from trickle_wallet.sign_in.service import authenticate, register_person

PASSWORD = "correct horse battery"
WRONG = "not the password at all"
BURST = 6  # twice sign_in_max_failures_per_email (3, the sign-in tests' setting)


@pytest.fixture
async def engine(settings) -> Any:  # type: ignore[no-untyped-def]
    """An engine of the test's own: its pool shows only what these sign-ins hold."""
    engine = make_engine(settings.database_url, application_name="wallet-test-bursts")
    yield engine
    await engine.dispose()


async def test_a_burst_of_wrong_passwords_gets_the_limit_of_answers_and_holds_no_connection_while_hashing(
    engine: AsyncEngine, settings, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    email = f"ada-{os.urandom(5).hex()}@example.org"
    async with sessions() as session, session.begin():
        account, _ = await register_person(session, settings, email=email, password=PASSWORD, display_name="Ada")
        await session.execute(
            update(SignInCredential).where(SignInCredential.account_id == account.id).values(email_verified_at=utcnow())
        )

    real_verify = passwords.verify_password
    hashing, all_hashing, release = 0, asyncio.Event(), asyncio.Event()

    async def verify_when_all_are_hashing(settings_: Any, password_hash: str | None, password: str) -> bool:
        nonlocal hashing
        hashing += 1
        if hashing == BURST:
            all_hashing.set()
        await release.wait()
        return await real_verify(settings_, password_hash, password)

    monkeypatch.setattr(passwords, "verify_password", verify_when_all_are_hashing)

    async def attempt(n: int) -> str | ProblemError:
        try:
            async with sessions() as session, session.begin():
                return await authenticate(
                    session, settings, email=email, password=WRONG, client_address=f"203.0.113.{n + 1}"
                )
        except ProblemError as exc:
            return exc

    burst = asyncio.gather(*(attempt(n) for n in range(BURST)))
    await asyncio.wait_for(all_hashing.wait(), timeout=60)  # a safety net: they all get there at once
    assert engine.sync_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    release.set()
    outcomes = await burst
    codes = sorted(o.code for o in outcomes if isinstance(o, ProblemError))
    assert codes == ["invalid_credentials"] * 3 + ["too_many_attempts"] * (BURST - 3), codes
