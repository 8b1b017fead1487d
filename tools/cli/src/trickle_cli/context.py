"""The gateway of the running command, set by the top-level callback (``--url``, ``--client-id``...)."""

from __future__ import annotations

from typing import Annotated

import typer

from trickle_cli.gateway import Gateway

SERVICES = ("wallet", "click-ledger", "settlement", "webhook")

Json = Annotated[bool, typer.Option("--json", help="Print the result as JSON (stable, for scripts).")]
Service = Annotated[
    str | None,
    typer.Option("--service", "-s", help=f"Only this service: {', '.join(SERVICES)} (default: all)."),
]


def gateway(ctx: typer.Context) -> Gateway:
    root = ctx.find_root()
    assert isinstance(root.obj, Gateway)
    return root.obj


def services(service: str | None) -> tuple[str, ...]:
    if service is None:
        return SERVICES
    if service not in SERVICES:
        raise typer.BadParameter(f"one of {', '.join(SERVICES)}", param_hint="--service")
    return (service,)
