"""A local SMTP server that catches mail instead of delivering it: each message becomes an ``.eml`` file.

``python -m trickle_kit.mail_catcher --host 127.0.0.1 --port 8025 --dir var/mail`` (``make run`` starts it);
tests start it in their own event loop with ``serve_mail_catcher`` and read what came with ``read_messages``.
A file appears whole or not at all (written beside, then renamed), named so that files sort in arrival order.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import email
import email.policy
import os
import signal
import time
import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

SUFFIX = ".eml"


class MailFolder:
    """The aiosmtpd handler: every accepted message is written to ``directory``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def store(self, content: bytes) -> Path:
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}{SUFFIX}"
        final = self.directory / name
        partial = self.directory / f".{name}.tmp"  # readers skip dot files
        partial.write_bytes(content)
        os.replace(partial, final)
        return final

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or envelope.content
        raw = content if isinstance(content, bytes) else str(content).encode()
        await asyncio.to_thread(self.store, raw)
        return "250 Message accepted for delivery"


async def serve_mail_catcher(host: str, port: int, directory: Path) -> asyncio.Server:
    """Start catching mail on ``host:port`` in the running event loop (``port`` 0: a free one; see the
    server's ``sockets``); close the returned server to stop. It speaks SMTPUTF8, as relays for people with
    internationalised addresses do."""
    handler = MailFolder(directory)
    loop = asyncio.get_running_loop()
    return await loop.create_server(
        lambda: SMTP(handler, hostname="trickle-mail-catcher", enable_SMTPUTF8=True), host=host, port=port
    )


def read_messages(directory: Path | str) -> list[EmailMessage]:
    """Every message caught in ``directory``, oldest first."""
    folder = Path(directory)
    if not folder.is_dir():
        return []
    messages: list[EmailMessage] = []
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        if path.name.startswith("."):
            continue
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        messages.append(message)
    return messages


async def _run(host: str, port: int, directory: Path) -> None:
    server = await serve_mail_catcher(host, port, directory)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    print(f"mail catcher on {host}:{port}, writing to {directory}/", flush=True)
    async with server:
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Catch mail over SMTP and store each message as an .eml file")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--dir", default="var/mail", type=Path, help="where the .eml files go")
    args: Any = parser.parse_args(argv)
    asyncio.run(_run(args.host, args.port, args.dir))


if __name__ == "__main__":
    main()
