"""Queue a mail: a row in the caller's transaction, so it is sent if (and only if) what decided it commits."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from trickle_wallet.mail.models import OutgoingMail


@dataclass(frozen=True)
class MailContent:
    subject: str
    text: str
    html: str | None = None


async def queue_mail(session: AsyncSession, *, to: str, content: MailContent, account_id: str | None) -> OutgoingMail:
    """The worker's mail sender sends it (retrying until the relay accepts it)."""
    mail = OutgoingMail(
        account_id=account_id, to_address=to, subject=content.subject, text_body=content.text, html_body=content.html
    )
    session.add(mail)
    await session.flush()
    return mail
