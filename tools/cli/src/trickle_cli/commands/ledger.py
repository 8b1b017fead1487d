"""``trickle ledger trial-balance``: the books' totals per currency, and a check that they balance."""

from __future__ import annotations

from typing import Annotated

import typer
from trickle_client.api.settlement import get_trial_balance

from trickle_cli.context import Json, gateway
from trickle_cli.errors import Exit
from trickle_cli.output import note, print_json, table

app = typer.Typer(help="The ledger (settlement's book of record).", no_args_is_help=True)


@app.command("trial-balance")
def trial_balance(
    ctx: typer.Context,
    verify: Annotated[
        bool,
        typer.Option(
            "--verify",
            help="Also check every balance against its postings; exit 1 unless balanced and consistent.",
        ),
    ] = False,
    as_json: Json = False,
) -> None:
    """Debits equal credits in every currency (a total of zero); --verify makes it a check (exit 1 if not)."""
    answer = gateway(ctx).call(get_trial_balance.sync_detailed, verify=verify)
    if as_json:
        print_json(answer)
    else:
        table(
            f"Trial balance as of {answer['as_of']}",
            ("kind", "type", "currency", "accounts", "debit", "credit"),
            (
                (ln["kind"], ln["type"], ln["currency"], ln["accounts"], ln["debit"], ln["credit"])
                for ln in answer.get("lines") or []
            ),
        )
        table(
            "Totals (minor units)",
            ("currency", "debit", "credit", "difference"),
            ((t["currency"], t["debit"], t["credit"], t["difference"]) for t in answer.get("totals") or []),
        )
        note(f"balanced: {answer['balanced']}")
        if verify:
            note(f"balances match postings: {answer.get('balances_match_postings')}")
    if verify and not (answer["balanced"] and answer.get("balances_match_postings") is not False):
        raise typer.Exit(int(Exit.CHECK_FAILED))
