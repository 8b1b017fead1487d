"""``trickle accounts find|suspend|unsuspend`` (wallet)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from trickle_client.api.wallet import find_accounts, suspend_account, unsuspend_account
from trickle_client.models import SuspensionCreate

from trickle_cli.context import Json, gateway
from trickle_cli.errors import CliError, Exit
from trickle_cli.output import print_json, table

app = typer.Typer(help="Accounts: find them, suspend and unsuspend them.", no_args_is_help=True)

AccountArg = Annotated[str, typer.Argument(help="An account id (acct_…)", metavar="ACCOUNT_ID")]


def _show(title: str, accounts: list[dict[str, Any]]) -> None:
    table(
        title,
        ("id", "name", "email", "kind", "suspended", "deleted"),
        (
            (
                a["id"],
                a["display_name"],
                a["email"],
                a["kind"],
                f"yes: {a.get('suspended_reason') or ''}" if a["suspended"] else "no",
                a.get("deleted_at") or "",
            )
            for a in accounts
        ),
    )


@app.command()
def find(
    ctx: typer.Context,
    query: Annotated[str | None, typer.Argument(help="Part of the id, name or email", metavar="[QUERY]")] = None,
    email: Annotated[str | None, typer.Option(help="The exact email (any case).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many.", min=1, max=100)] = 20,
    as_json: Json = False,
) -> None:
    """Find accounts by email (--email) or by part of their id, name or email (QUERY)."""
    if query is None and email is None:
        raise CliError(Exit.USAGE, "give a QUERY or --email")
    kwargs: dict[str, Any] = {"limit": limit}
    if query is not None:
        kwargs["q"] = query
    if email is not None:
        kwargs["email"] = email
    page = gateway(ctx).call(find_accounts.sync_detailed, **kwargs)
    if as_json:
        print_json(page)
    else:
        _show(f"Accounts ({len(page['data'])}{'+' if page['has_more'] else ''})", page["data"])


@app.command()
def suspend(
    ctx: typer.Context,
    account_id: AccountArg,
    reason: Annotated[str, typer.Option(help="Why (kept with the account, shown to its holder).")],
    as_json: Json = False,
) -> None:
    """Suspend an account: no new clicks, deposits, tips or payouts; its money stays."""
    body = SuspensionCreate(reason=reason)
    answer = gateway(ctx).call(suspend_account.sync_detailed, account_id=account_id, body=body)
    if as_json:
        print_json(answer)
    else:
        _show("Suspended", [answer])


@app.command()
def unsuspend(ctx: typer.Context, account_id: AccountArg, as_json: Json = False) -> None:
    """Lift an account's suspension."""
    answer = gateway(ctx).call(unsuspend_account.sync_detailed, account_id=account_id)
    if as_json:
        print_json(answer)
    else:
        _show("Unsuspended", [answer])
