"""The outgoing mail queue: sent by the worker over SMTP, kept and retried while the relay is away."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from trickle_kit.envelope import utcnow
from trickle_wallet.mail.models import OutgoingMail
from trickle_wallet.mail.queue import MailContent, queue_mail
from trickle_wallet.mail.sender import retry_delay_s, send_due

from ..support.mail import catching_mail, free_port, mail_to, running_mail_sender


@pytest.fixture
def settings(settings):  # type: ignore[no-untyped-def]
    return settings.model_copy(update={"smtp_port": free_port(), "mail_send_interval_s": 0.1})


async def _queue(app: FastAPI, to: str) -> int:
    async with app.state.sessions() as session, session.begin():
        mail = await queue_mail(
            session,
            to=to,
            content=MailContent(subject="Hello", text="Hi there", html="<p>Hi there</p>"),
            account_id=None,
        )
        return mail.id


async def _row(app: FastAPI, mail_id: int) -> OutgoingMail:
    async with app.state.sessions() as session:
        return (await session.execute(select(OutgoingMail).where(OutgoingMail.id == mail_id))).scalar_one()


async def test_a_mail_queued_while_the_relay_is_down_is_sent_once_it_is_back(
    app: FastAPI, settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    to = f"ada-{os.urandom(5).hex()}@example.org"
    mail_id = await _queue(app, to)

    # Nothing listens on the relay's port: the mail stays queued, put off for a while.
    assert await send_due(app.state.sessions, settings) >= 1
    row = await _row(app, mail_id)
    assert row.sent_at is None and row.attempts == 1 and row.last_error
    assert row.next_attempt_at > utcnow()
    await send_due(app.state.sessions, settings)  # not due yet: not tried again
    assert (await _row(app, mail_id)).attempts == 1

    async with catching_mail(settings.smtp_port, tmp_path), running_mail_sender(settings, app.state.sessions):
        async with app.state.sessions() as session, session.begin():  # its pause is over
            await session.execute(
                update(OutgoingMail).where(OutgoingMail.id == mail_id).values(next_attempt_at=utcnow())
            )
        [message] = await mail_to(tmp_path, to)
    assert (
        message["Subject"] == "Hello"
        and message.get_body(preferencelist=("plain",)).get_content().strip() == "Hi there"
    )  # type: ignore[union-attr]
    assert message.get_body(preferencelist=("html",)) is not None
    row = await _row(app, mail_id)
    assert row.sent_at is not None and row.attempts == 1


async def test_a_mail_queued_in_a_transaction_that_rolls_back_is_never_sent(app: FastAPI) -> None:
    to = f"ada-{os.urandom(5).hex()}@example.org"
    with pytest.raises(RuntimeError):
        async with app.state.sessions() as session, session.begin():
            await queue_mail(session, to=to, content=MailContent(subject="No", text="no"), account_id=None)
            raise RuntimeError("the request failed after queueing")
    async with app.state.sessions() as session:
        assert (await session.execute(select(OutgoingMail).where(OutgoingMail.to_address == to))).first() is None


def test_the_pause_doubles_after_each_failure_up_to_the_maximum(settings) -> None:  # type: ignore[no-untyped-def]
    s = settings.model_copy(update={"mail_retry_base_s": 30.0, "mail_retry_max_s": 3600.0})
    assert [retry_delay_s(s, n) for n in range(1, 9)] == [30, 60, 120, 240, 480, 960, 1920, 3600]
    assert retry_delay_s(s, 1000) == 3600
