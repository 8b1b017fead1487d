"""The local mail catcher: each message caught over SMTP is one whole .eml file, read back in arrival order."""

from __future__ import annotations

import asyncio
import sys
from email.message import EmailMessage
from pathlib import Path

import aiosmtplib

from trickle_kit.mail_catcher import read_messages, serve_mail_catcher
from trickle_kit.testing import wait_until


def _names(folder: Path) -> dict[str, int]:
    suffixes: dict[str, int] = {}
    for path in folder.iterdir():
        key = path.suffix if not path.name.startswith(".") else "partial"
        suffixes[key] = suffixes.get(key, 0) + 1
    return suffixes


def _message(n: int) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Trickle <no-reply@trickle.localhost>"
    message["To"] = f"ada-{n}@example.org"
    message["Subject"] = f"Message {n}"
    message.set_content(f"Hello {n}: https://web.test/verify-email?token=t{n}")
    message.add_alternative(f"<p>Hello {n}</p>", subtype="html")
    return message


async def test_caught_messages_are_eml_files_read_back_oldest_first(tmp_path: Path) -> None:
    server = await serve_mail_catcher("127.0.0.1", 0, tmp_path)
    port = server.sockets[0].getsockname()[1]
    try:
        async with aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False) as smtp:
            for n in range(3):
                await smtp.send_message(_message(n))
    finally:
        server.close()
        await server.wait_closed()
    assert _names(tmp_path) == {".eml": 3}  # and no partial file left
    messages = read_messages(tmp_path)
    assert [m["Subject"] for m in messages] == ["Message 0", "Message 1", "Message 2"]
    plain = messages[1].get_body(preferencelist=("plain",))
    assert plain is not None and "token=t1" in plain.get_content()  # type: ignore[attr-defined]


def test_a_message_still_being_written_is_not_read(tmp_path: Path) -> None:
    (tmp_path / ".00000000000000000001-abcdef01.eml.tmp").write_bytes(b"Subject: half")
    assert read_messages(tmp_path) == [] and read_messages(tmp_path / "absent") == []


async def test_the_command_line_catches_mail_into_its_folder(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    folder = tmp_path / "mail"
    command = [sys.executable, "-m", "trickle_kit.mail_catcher", "--port", str(port), "--dir", str(folder)]
    process = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE)
    try:
        assert process.stdout is not None and b"mail catcher on" in await process.stdout.readline()
        await aiosmtplib.send(_message(7), hostname="127.0.0.1", port=port, start_tls=False)

        async def caught() -> bool:
            return [m["To"] for m in read_messages(folder)] == ["ada-7@example.org"]

        await wait_until(caught)
    finally:
        process.terminate()
        assert await process.wait() == 0
