"""The mails of sign-in (pure): what they say and the link they carry to the web front end."""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from trickle_wallet.mail.queue import MailContent


def link(web_base_url: str, page: str, token: str) -> str:
    return f"{web_base_url.rstrip('/')}/{page}?{urlencode({'token': token})}"


def _html(greeting: str, lead: str, url: str, button: str, tail: str) -> str:
    return (
        f"<p>{escape(greeting)}</p><p>{escape(lead)}</p>"
        f'<p><a href="{escape(url, quote=True)}">{escape(button)}</a></p>'
        f"<p>{escape(tail)}</p>"
    )


def _greeting(display_name: str | None) -> str:
    return f"Hello {display_name}," if display_name else "Hello,"


def verification_mail(web_base_url: str, token: str, valid_hours: int) -> MailContent:
    """To an address nobody confirmed yet: nothing the sign-up typed (anyone may give someone else's address, and
    a display name would be their words in our mail)."""
    url = link(web_base_url, "verify-email", token)
    greeting = _greeting(None)
    lead = "please confirm that this is your email address, so that you can sign in to Trickle:"
    tail = f"The link works once, for {valid_hours} hours. If you did not sign up, ignore this mail."
    return MailContent(
        subject="Confirm your email address for Trickle",
        text=f"{greeting}\n\n{lead}\n\n{url}\n\n{tail}\n",
        html=_html(greeting, lead, url, "Confirm my email address", tail),
    )


def password_reset_mail(web_base_url: str, display_name: str | None, token: str, valid_minutes: int) -> MailContent:
    """``display_name`` only for a confirmed address (see ``verification_mail``)."""
    url = link(web_base_url, "reset-password", token)
    greeting = _greeting(display_name)
    lead = "someone (we hope you) asked to choose a new password for your Trickle account:"
    tail = (
        f"The link works once, for {valid_minutes} minutes. If you did not ask, ignore this mail: "
        "your password stays as it is."
    )
    return MailContent(
        subject="Choose a new Trickle password",
        text=f"{greeting}\n\n{lead}\n\n{url}\n\n{tail}\n",
        html=_html(greeting, lead, url, "Choose a new password", tail),
    )
