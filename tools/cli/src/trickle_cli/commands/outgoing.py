"""What ``payouts list`` and ``refunds list`` share: money leaving the platform through a provider, listed
for the operator with the same filters, table and paging note."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

import typer

from trickle_cli.context import gateway
from trickle_cli.output import money, note, print_json, table


def list_orders(
    ctx: typer.Context,
    operation: Callable[..., Any],
    *,
    title: str,
    statuses: Collection[str],
    limit: int,
    starting_after: str | None,
    status: str | None,
    as_json: bool,
) -> None:
    """One page of payouts or refunds (``operation``: the generated client's ``sync_detailed``)."""
    kwargs: dict[str, Any] = {"limit": limit}
    if starting_after:
        kwargs["starting_after"] = starting_after
    if status is not None:
        if status not in statuses:
            raise typer.BadParameter(f"one of {', '.join(sorted(statuses))}", param_hint="--status")
        kwargs["status"] = status
    page = gateway(ctx).call(operation, **kwargs)
    if as_json:
        print_json(page)
        return
    table(
        f"{title} ({len(page['data'])})",
        ("id", "account", "amount", "provider", "status", "reason", "created at"),
        (
            (o["id"], o["account_id"], money(o["amount"]), o["provider"], o["status"], o.get("reason"), o["created_at"])
            for o in page["data"]
        ),
    )
    if page["has_more"]:
        note(f"more: --starting-after {page['next_starting_after']}")
