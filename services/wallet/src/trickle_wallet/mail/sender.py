"""The worker's side of the mail queue: send what is due over SMTP (aiosmtplib), mark it sent, back off on failure.

Rows are claimed with ``FOR UPDATE SKIP LOCKED`` for the time of the batch, so two workers never send the same
row at once. A row is marked sent only after the relay accepted it: if the worker dies between the two, the
mail goes out again (at least once, never lost); its Message-ID stays the same, so mail clients can tell.
Nothing is ever given up: a refused or unreachable relay is tried again after a growing pause, at most
``mail_retry_max_s``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

import aiosmtplib
import structlog
from sqlalchemy import select
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
    message["To"] = Address(addr_spec=mail.to_address)
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


async def _due(session: AsyncSession, settings: Settings, now: datetime) -> list[OutgoingMail]:
    stmt = (
        select(OutgoingMail)
        .where(OutgoingMail.sent_at.is_(None), OutgoingMail.next_attempt_at <= now)
        .order_by(OutgoingMail.next_attempt_at, OutgoingMail.id)
        .limit(settings.mail_batch)
        .with_for_update(skip_locked=True)
    )
    return list((await session.execute(stmt)).scalars())


async def send_due(sessions: async_sessionmaker[AsyncSession], settings: Settings) -> int:
    """Send one batch of due mail over one SMTP connection; how many rows were tried (sent or put off)."""
    async with sessions() as session, session.begin():
        batch = await _due(session, settings, utcnow())
        if not batch:
            return 0
        put_off: set[int] = set()
        try:
            async with smtp_client(settings) as smtp:
                for mail in batch:
                    try:
                        await smtp.send_message(message_of(settings, mail))
                    except aiosmtplib.SMTPResponseException as exc:  # this message refused: the others may pass
                        _failed(settings, mail, exc, utcnow())
                        put_off.add(mail.id)
                        continue
                    mail.sent_at = utcnow()
                    log.info("mail_sent", mail_id=mail.id)
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:  # the relay is away or hung up
            now = utcnow()
            for mail in batch:
                if mail.sent_at is None and mail.id not in put_off:
                    _failed(settings, mail, exc, now)
        return len(batch)
