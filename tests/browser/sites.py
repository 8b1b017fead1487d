"""Third parties' web sites for the browser scenarios: plain pages served by a real local HTTP
server on another loop-back address than the platform's (127.0.0.1), so another origin and
another cookie jar, as a blog embedding the button or an app's redirect page would be.
"""

from __future__ import annotations

from html import escape

from tests.e2e.platform import LocalHttpServer

HTML = {"Content-Type": "text/html; charset=utf-8"}


def html_page(title: str, body: str) -> bytes:
    """A small accessible page (language, title, main landmark, heading) around ``body``."""
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
        f"<body><main><h1>{escape(title)}</h1>{body}</main></body></html>"
    ).encode()


def article_with_button(site: LocalHttpServer, gateway: str, path: str, title: str = "Quiet rooms") -> str:
    """A page of ``site`` embedding the button as the embed snippet does; returns its URL."""
    url = f"{site.origin}{path}"
    body = (
        "<p>An article worth a click.</p>"
        f'<p><a class="trickle-button" data-url="{escape(url)}">Support this with Trickle</a></p>'
        f'<script src="{escape(gateway)}/v1/embed.js" async></script>'
    )
    site.routes[path] = (200, HTML, html_page(title, body))
    return url
