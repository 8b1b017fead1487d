"""One mail that cannot go as it is does not hold the others up, and what went out is never sent again: a mail to
an internationalised address (anyone may sign up with one) is sent like the others over SMTPUTF8, and a worker
stopped in the middle of a batch leaves the mail the relay accepted marked sent."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session
from fastapi import FastAPI
from sqlalchemy import select, update

from trickle_kit.envelope import utcnow
from trickle_kit.mail_catcher import MailFolder
from trickle_wallet.mail.models import OutgoingMail
from trickle_wallet.mail.queue import MailContent, queue_mail
from trickle_wallet.mail.sender import send_due

from ..support.mail import catching_mail, free_port, messages_to


@pytest.fixture
def settings(settings):  # type: ignore[no-untyped-def]
    return settings.model_copy(update={"smtp_port": free_port(), "mail_batch": 10})


async def _only_these_are_due(app: FastAPI, *addresses: str) -> list[int]:
    """Earlier tests' mail out of the way, then one mail to each address, in this order."""
    async with app.state.sessions() as session, session.begin():
        await session.execute(update(OutgoingMail).where(OutgoingMail.sent_at.is_(None)).values(sent_at=utcnow()))
        ids = []
        for to in addresses:
            mail = await queue_mail(session, to=to, content=MailContent(subject="Hello", text="Hi"), account_id=None)
            ids.append(mail.id)
        return ids


async def _sent(app: FastAPI, ids: list[int]) -> list[bool]:
    async with app.state.sessions() as session:
        rows = {
            r.id: r for r in (await session.execute(select(OutgoingMail).where(OutgoingMail.id.in_(ids)))).scalars()
        }
    return [rows[i].sent_at is not None for i in ids]


async def test_a_mail_to_an_internationalised_address_goes_out_and_holds_nobody_up(
    app: FastAPI, settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    tag = os.urandom(4).hex()
    first, intl, last = f"ada-{tag}@example.org", f"ädä-{tag}@example.org", f"bob-{tag}@example.org"
    ids = await _only_these_are_due(app, first, intl, last)
    async with catching_mail(settings.smtp_port, tmp_path):
        assert await send_due(app.state.sessions, settings) == 3
        await send_due(app.state.sessions, settings)  # nothing is due again
    assert await _sent(app, ids) == [True, True, True]
    assert [len(messages_to(tmp_path, to)) for to in (first, intl, last)] == [1, 1, 1]


async def test_a_worker_stopped_mid_batch_keeps_what_the_relay_accepted_marked_sent(
    app: FastAPI, settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    tag = os.urandom(4).hex()
    addresses = [f"mail-{n}-{tag}@example.org" for n in range(3)]
    ids = await _only_these_are_due(app, *addresses)
    hanging = asyncio.Event()

    class HangsOnTheThird(MailFolder):
        async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
            if addresses[2] in envelope.rcpt_tos:
                hanging.set()
                await asyncio.Event().wait()  # the relay never answers: the worker is stopped meanwhile
            return await super().handle_DATA(server, session, envelope)

    handler = HangsOnTheThird(tmp_path)
    relay = await asyncio.get_running_loop().create_server(
        lambda: SMTP(handler), host="127.0.0.1", port=settings.smtp_port
    )
    try:
        worker = asyncio.create_task(send_due(app.state.sessions, settings))
        await asyncio.wait_for(hanging.wait(), timeout=60)  # a safety net
        worker.cancel()
        with pytest.raises(asyncio.CancelledError):
            await worker
    finally:
        relay.close()
    assert await _sent(app, ids) == [True, True, False]
