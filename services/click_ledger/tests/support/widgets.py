"""Files the widget tests load."""

from __future__ import annotations

from pathlib import Path

EMBED_HARNESS = Path(__file__).with_name("embed_harness.js")  # runs embed.js in node against a fake page
