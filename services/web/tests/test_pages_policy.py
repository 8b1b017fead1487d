"""Pages keep to their Content-Security-Policy (scripts and styles from this origin only): no inline
style attribute, script or event handler, which browsers would refuse to run."""

from __future__ import annotations

import re
from pathlib import Path

import trickle_web
from trickle_web.headers import CONTENT_SECURITY_POLICY

TEMPLATES = Path(trickle_web.__file__).parent / "templates"
# The shared templates and the patron's, sign-in and button pages (WEB-1's); the others' pages are theirs to add.
CHECKED = ["*.html", "accounts/*.html", "patron/*.html", "button/*.html"]
# The creator, operator, consent and public profile pages (WEB-2's).
CHECKED += ["creator/*.html", "operator/*.html", "oauth/*.html", "profiles/*.html"]
INLINE = re.compile(r'\sstyle=|<script(?![^>]*\ssrc=)(?![^>]*type="application/json")[^>]*>|\son[a-z]+=', re.I)


def test_the_policy_allows_no_inline_script_or_style() -> None:
    assert "default-src 'self'" in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY


def test_templates_have_no_inline_script_style_or_handler() -> None:
    offences = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}"
        for pattern in CHECKED
        for path in sorted(TEMPLATES.glob(pattern))
        for match in INLINE.finditer(path.read_text())
    ]
    assert offences == []
