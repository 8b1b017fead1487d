"""``trickle refunds list`` (wallet): every account's refunds, as the operator sees them."""

from __future__ import annotations

from typing import Annotated

import typer
from trickle_client.api.wallet import list_refunds
from trickle_client.models.list_refunds_status_type_0 import LIST_REFUNDS_STATUS_TYPE_0_VALUES

from trickle_cli.commands.outgoing import list_orders
from trickle_cli.context import Json

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
    list_orders(
        ctx,
        list_refunds.sync_detailed,
        title="Refunds",
        statuses=LIST_REFUNDS_STATUS_TYPE_0_VALUES,
        limit=limit,
        starting_after=starting_after,
        status=status,
        as_json=as_json,
    )
