"""The mail a platform run sent: the catcher's folder of .eml files, read as a person reads a mailbox.

``Mailbox.wait_for(to=...)`` polls the folder until a message to that address arrives (the
wallet's worker sends its outgoing mail asynchronously) and ``links(message)`` lists the URLs in
it, so a test follows the verification link as the person would. The folder is written by
``python -m trickle_kit.mail_catcher`` (a file appears whole, named in arrival order).
"""

from __future__ import annotations

import email
import email.policy
import html
import re
import time
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

URL = re.compile(r"https?://[^\s\"'<>]+")


@dataclass
class Mail:
    path: Path
    message: EmailMessage

    @property
    def to(self) -> str:
        return str(self.message.get("To", ""))

    @property
    def subject(self) -> str:
        return str(self.message.get("Subject", ""))

    def text(self) -> str:
        """Every text part (plain and HTML), decoded."""
        parts = []
        for part in self.message.walk():
            if part.get_content_maintype() == "text":
                parts.append(str(part.get_content()))
        return "\n".join(parts)

    def links(self, containing: str = "") -> list[str]:
        """The distinct URLs in the message (HTML entities undone), those containing ``containing``."""
        found = [html.unescape(u).rstrip(".,;)") for u in URL.findall(self.text())]
        return [u for u in dict.fromkeys(found) if containing in u]


class Mailbox:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def messages(self) -> list[Mail]:
        if not self.folder.exists():
            return []
        mails = []
        for path in sorted(self.folder.glob("*.eml")):
            parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            assert isinstance(parsed, EmailMessage)
            mails.append(Mail(path, parsed))
        return mails

    def to(self, address: str) -> list[Mail]:
        return [m for m in self.messages() if address.lower() in m.to.lower()]

    def wait_for(self, *, to: str, containing: str = "", timeout_s: float = 60.0) -> Mail:
        """The first message to ``to`` whose text has ``containing``; polls until it arrives."""
        deadline = time.monotonic() + timeout_s
        while True:
            for mail in self.to(to):
                if containing in mail.text():
                    return mail
            if time.monotonic() > deadline:
                seen = [(m.to, m.subject) for m in self.messages()]
                raise AssertionError(
                    f"no mail to {to} containing {containing!r} within {timeout_s:.0f} s in {self.folder}; "
                    f"messages there: {seen}"
                )
            time.sleep(0.2)
