"""``trickle refunds list`` (wallet): every account's refunds, as the operator sees them."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from trickle_client.api.wallet import list_refunds
from trickle_client.models.list_refunds_status_type_0 import LIST_REFUNDS_STATUS_TYPE_0_VALUES

from trickle_cli.context import Json, gateway
from trickle_cli.output import money, note, print_json, table

app = typer.Typer(help="Refunds of patrons' wallets: list them.", no_args_is_help=True)


@app.command("list")
def list_(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(help="At most this many (next pages: --starting-after).", min=1, max=100)] = 20,
    starting_after: Annotated[str | None, typer.Option(help="The last refund id of the previous page.")] = None,
    status: Annotated[
        str | None,
        typer.Option(help=f"Only this status: {', '.join(sorted(LIST_REFUNDS_STATUS_TYPE_0_VALUES))}."),
    ] = None,
    as_json: Json = False,
) -> None:
    """Refunds of every account, in id order."""
    kwargs: dict[str, Any] = {"limit": limit}
    if starting_after:
        kwargs["starting_after"] = starting_after
    if status is not None:
        if status not in LIST_REFUNDS_STATUS_TYPE_0_VALUES:
            choices = ", ".join(sorted(LIST_REFUNDS_STATUS_TYPE_0_VALUES))
            raise typer.BadParameter(f"one of {choices}", param_hint="--status")
        kwargs["status"] = status
    page = gateway(ctx).call(list_refunds.sync_detailed, **kwargs)
    if as_json:
        print_json(page)
        return
    table(
        f"Refunds ({len(page['data'])})",
        ("id", "account", "amount", "provider", "status", "reason", "created at"),
        (
            (r["id"], r["account_id"], money(r["amount"]), r["provider"], r["status"], r.get("reason"), r["created_at"])
            for r in page["data"]
        ),
    )
    if page["has_more"]:
        note(f"more: --starting-after {page['next_starting_after']}")
