"""``trickle``: the operator's command line. Global options say where the gateway is and who operates.

Exit codes: 0 ok, 1 a check failed, 2 usage, 3 the API refused (4xx), 4 unreachable or 5xx
(``trickle_cli.errors.Exit``; docs/operations.md).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from trickle_cli.commands import accounts, dlq, ledger, outbox, payouts, period, refunds, webhooks
from trickle_cli.errors import CliError
from trickle_cli.gateway import DEFAULT_URL, Gateway
from trickle_cli.output import note

app = typer.Typer(
    name="trickle",
    help="Operate a Trickle platform through its gateway, with operator credentials.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(period.app, name="period")
app.add_typer(dlq.app, name="dlq")
app.add_typer(outbox.app, name="outbox")
app.add_typer(ledger.app, name="ledger")
app.add_typer(accounts.app, name="accounts")
app.add_typer(payouts.app, name="payouts")
app.add_typer(refunds.app, name="refunds")
app.add_typer(webhooks.app, name="webhooks")


@app.callback()
def connect(
    ctx: typer.Context,
    url: Annotated[str, typer.Option("--url", envvar="TRICKLE_URL", help="The gateway.")] = DEFAULT_URL,
    client_id: Annotated[
        str, typer.Option("--client-id", envvar="TRICKLE_CLIENT_ID", help="Operator client id.")
    ] = "operator",
    client_secret: Annotated[
        str | None,
        typer.Option("--client-secret", envvar="TRICKLE_CLIENT_SECRET", help="Operator client secret."),
    ] = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each answer.", min=0.1)] = 30.0,
) -> None:
    """Operate a Trickle platform through its gateway, with operator credentials."""
    ctx.obj = Gateway(url=url.rstrip("/"), client_id=client_id, client_secret=client_secret, timeout_s=timeout)


def main() -> None:
    """The console script: runs the app; a ``CliError`` becomes ``error: …`` on stderr and its exit code."""
    try:
        app()
    except CliError as exc:
        note(f"error: {exc.message}")
        sys.exit(int(exc.code))
