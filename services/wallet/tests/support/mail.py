"""What the sign-in and mail tests build on: a mail catcher in the test's event loop, the links in its mail."""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_kit.mail_catcher import read_messages, serve_mail_catcher
from trickle_kit.testing import wait_until
from trickle_wallet.consumers import mail_sender
from trickle_wallet.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@asynccontextmanager
async def catching_mail(port: int, directory: Path) -> AsyncIterator[None]:
    """The kit's mail catcher listening on ``port`` until the block ends."""
    server = await serve_mail_catcher("127.0.0.1", port, directory)
    try:
        yield
    finally:
        server.close()
        await server.wait_closed()


@asynccontextmanager
async def running_mail_sender(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[None]:
    """The wallet worker's mail task (``consumers.mail_sender``), running until the block ends."""
    stop = asyncio.Event()
    task = asyncio.create_task(mail_sender(settings, sessions)(stop))
    try:
        yield
    finally:
        stop.set()
        await task


def messages_to(directory: Path, address: str) -> list[EmailMessage]:
    return [m for m in read_messages(directory) if str(m["To"]).lower() == address.lower()]


async def mail_to(directory: Path, address: str, count: int = 1) -> list[EmailMessage]:
    """Wait until ``count`` messages to ``address`` were caught; all of them, oldest first."""

    async def arrived() -> bool:
        return len(messages_to(directory, address)) >= count

    await wait_until(arrived)
    return messages_to(directory, address)


def link_token(message: EmailMessage, page: str) -> str:
    """The token of the ``/{page}?token=...`` link in the plain-text body."""
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()  # type: ignore[attr-defined]
    found = re.search(rf"/{page}\?token=([A-Za-z0-9_\-]+)", text)
    assert found is not None, text
    return found.group(1)
