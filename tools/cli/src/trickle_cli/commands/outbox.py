"""``trickle outbox status``: events committed but not yet published, per service."""

from __future__ import annotations

from typing import Annotated

import typer

from trickle_cli.context import Json, Service, gateway, services
from trickle_cli.errors import Exit
from trickle_cli.operations import OPERATIONS
from trickle_cli.output import print_json, table

app = typer.Typer(help="Transactional outboxes: the backlog waiting for the relay.", no_args_is_help=True)


@app.command()
def status(
    ctx: typer.Context,
    service: Service = None,
    max_age: Annotated[
        float | None, typer.Option("--max-age", help="Exit 1 when an oldest unpublished event is older (seconds).")
    ] = None,
    as_json: Json = False,
) -> None:
    """Unpublished events and the age of the oldest, for every service (or --service)."""
    gw = gateway(ctx)
    backlogs = [gw.call(OPERATIONS[s].outbox) for s in services(service)]
    if as_json:
        print_json({"data": backlogs})
    else:
        table(
            "Outboxes",
            ("service", "pending", "oldest age (s)", "oldest since"),
            (
                (
                    b["service"],
                    b["pending"],
                    "" if b["oldest_age_s"] is None else f"{b['oldest_age_s']:.1f}",
                    b.get("oldest_occurred_at"),
                )
                for b in backlogs
            ),
        )
    if max_age is not None and any((b["oldest_age_s"] or 0) > max_age for b in backlogs):
        raise typer.Exit(int(Exit.CHECK_FAILED))
