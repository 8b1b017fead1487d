"""``trickle payouts list|reconcile`` (wallet)."""

from __future__ import annotations

from typing import Annotated

import typer
from trickle_client.api.wallet import list_payouts, reconcile_in_flight
from trickle_client.models.list_payouts_status_type_0 import LIST_PAYOUTS_STATUS_TYPE_0_VALUES

from trickle_cli.commands.outgoing import list_orders
from trickle_cli.context import Json, gateway
from trickle_cli.output import print_json, table

app = typer.Typer(help="Payouts: list them; finish the ones whose provider callback is overdue.", no_args_is_help=True)


@app.command("list")
def list_(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(help="At most this many (next pages: --starting-after).", min=1, max=100)] = 20,
    starting_after: Annotated[str | None, typer.Option(help="The last payout id of the previous page.")] = None,
    status: Annotated[
        str | None,
        typer.Option(help=f"Only this status: {', '.join(sorted(LIST_PAYOUTS_STATUS_TYPE_0_VALUES))}."),
    ] = None,
    as_json: Json = False,
) -> None:
    """Payouts of every account, in id order."""
    list_orders(
        ctx,
        list_payouts.sync_detailed,
        title="Payouts",
        statuses=LIST_PAYOUTS_STATUS_TYPE_0_VALUES,
        limit=limit,
        starting_after=starting_after,
        status=status,
        as_json=as_json,
    )


@app.command()
def reconcile(ctx: typer.Context, as_json: Json = False) -> None:
    """Ask the provider about deposits and payouts whose callback is overdue and finish them (as callbacks would)."""
    answer = gateway(ctx).call(reconcile_in_flight.sync_detailed)
    if as_json:
        print_json(answer)
        return
    table(
        f"Reconciled: {answer['checked']} checked, {answer['finished']} finished",
        ("object", "reference", "provider status", "outcome"),
        ((o["object"], o["reference"], o["provider_status"], o["outcome"]) for o in answer.get("orders") or []),
    )
