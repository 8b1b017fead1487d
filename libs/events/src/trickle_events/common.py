"""Small shared pieces of payloads."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from trickle_kit.money import Money

Period = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", examples=["2026-11"])]

__all__ = ["Money", "Period"]
