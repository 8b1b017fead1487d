"""What commands print: ``--json`` (the API's JSON, indented, keys sorted: stable for scripts) or tables."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    t = Table(title=title, title_justify="left")
    for column in columns:
        t.add_column(column)
    for row in rows:
        t.add_row(*("" if v is None else str(v) for v in row))
    out.print(t)


def money(value: dict[str, Any] | None) -> str:
    """``{"amount": 1234, "currency": "EUR"}`` as ``12.34 EUR`` (integer arithmetic: no float)."""
    if not value:
        return ""
    amount = int(value["amount"])
    sign = "-" if amount < 0 else ""
    whole, cents = divmod(abs(amount), 100)
    return f"{sign}{whole}.{cents:02d} {value['currency']}"


def note(message: str) -> None:
    """A remark on stderr (not part of the result)."""
    err.print(message, markup=False, highlight=False)
