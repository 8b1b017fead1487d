"""The worker's side of the mail queue: send what is due over SMTP (aiosmtplib), mark it sent, back off on failure.

Each row is claimed with ``FOR UPDATE SKIP LOCKED`` and marked sent (or put off) in a transaction of its own,
so two workers never send the same row at once, and a worker dying mid-batch sends again at most the one
message the relay had just accepted (its Message-ID stays the same, so mail clients can tell), never the
whole batch. A message the relay refuses, or that cannot be sent as it is, is put off alone; the others go.
Nothing is ever given up: a refused or unreachable relay is tried again after a growing pause, at most
``mail_retry_max_s``.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any

import aiosmtplib
import structlog
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_kit.envelope import utcnow
from trickle_wallet.mail.models import OutgoingMail
from trickle_wallet.settings import Settings

log = structlog.get_logger("trickle.wallet.mail")
ERROR_TEXT_MAX = 500


def retry_delay_s(settings: Settings, attempts: int) -> float:
    """The pause after the ``attempts``-th failure: base, 2 base, 4 base... at most ``mail_retry_max_s``."""
    return float(min(settings.mail_retry_base_s * 2 ** min(attempts - 1, 30), settings.mail_retry_max_s))


def message_of(settings: Settings, mail: OutgoingMail) -> EmailMessage:
    """The MIME message of a queued mail: plain text, and an HTML alternative when there is one."""
    _, from_address = parseaddr(settings.mail_from)
    domain = from_address.rpartition("@")[2] or "trickle.localhost"
    message = EmailMessage()
    message["From"] = settings.mail_from
    # From its parts: an internationalised local part (RFC 6531) is no parse defect; it needs a relay that
    # speaks SMTPUTF8 (aiosmtplib asks for it), else that mail alone waits.
    local, _, domain = mail.to_address.rpartition("@")
    message["To"] = Address(username=local, domain=domain)
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.created_at)
    message["Message-ID"] = f"<mail-{mail.id}@{domain}>"
    message.set_content(mail.text_body)
    if mail.html_body:
        message.add_alternative(mail.html_body, subtype="html")
    return message


def smtp_client(settings: Settings) -> aiosmtplib.SMTP:
    return aiosmtplib.SMTP(
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        use_tls=settings.smtp_use_tls,
        start_tls=settings.smtp_starttls,
        timeout=settings.smtp_timeout_s,
    )


def _failed(settings: Settings, mail: OutgoingMail, error: BaseException, now: datetime) -> None:
    mail.attempts += 1
    mail.next_attempt_at = now + timedelta(seconds=retry_delay_s(settings, mail.attempts))
    mail.last_error = repr(error)[:ERROR_TEXT_MAX]
    log.warning("mail_not_sent", mail_id=mail.id, attempts=mail.attempts, error=mail.last_error)


# What one message's refusal looks like (the others may pass), and what a relay that is away looks like.
MESSAGE_REFUSED = (aiosmtplib.SMTPResponseException, aiosmtplib.SMTPRecipientsRefused, aiosmtplib.SMTPNotSupported)
RELAY_AWAY = (aiosmtplib.SMTPException, OSError, TimeoutError)


def _due(now: datetime, limit: int) -> Select[Any]:
    return (
        select(OutgoingMail)
        .where(OutgoingMail.sent_at.is_(None), OutgoingMail.next_attempt_at <= now)
        .order_by(OutgoingMail.next_attempt_at, OutgoingMail.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )


async def _put_off_due(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, error: BaseException, limit: int
) -> int:
    """The relay is away: every due mail (up to ``limit``) waits for its next attempt."""
    if limit <= 0:
        return 0
    now = utcnow()
    async with sessions() as session, session.begin():
        rows = list((await session.execute(_due(now, limit))).scalars())
        for mail in rows:
            _failed(settings, mail, error, now)
    return len(rows)


async def send_due(sessions: async_sessionmaker[AsyncSession], settings: Settings) -> int:
    """Send up to ``mail_batch`` due mails over one SMTP connection, one transaction each; how many were tried
    (sent or put off)."""
    smtp: aiosmtplib.SMTP | None = None
    tried = 0
    away: BaseException | None = None
    try:
        while tried < settings.mail_batch and away is None:
            async with sessions() as session, session.begin():
                mail: OutgoingMail | None = (await session.execute(_due(utcnow(), 1))).scalar_one_or_none()
                if mail is None:
                    break
                tried += 1
                try:
                    if smtp is None:
                        smtp = smtp_client(settings)
                        await smtp.connect()
                    await smtp.send_message(message_of(settings, mail))
                except (*MESSAGE_REFUSED, ValueError) as exc:  # this message only: the others may pass
                    _failed(settings, mail, exc, utcnow())
                    continue
                except RELAY_AWAY as exc:  # the relay is away or hung up
                    _failed(settings, mail, exc, utcnow())
                    away = exc
                    continue
                mail.sent_at = utcnow()
                log.info("mail_sent", mail_id=mail.id)
    finally:
        if smtp is not None and smtp.is_connected:
            with contextlib.suppress(*RELAY_AWAY):
                await smtp.quit()
    if away is not None:
        tried += await _put_off_due(sessions, settings, away, settings.mail_batch - tried)
    return tried
