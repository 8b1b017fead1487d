"""``trickle period status|seal|close``: the period calendar (click-ledger) and its close (settlement)."""

from __future__ import annotations

import time
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from trickle_client.api.click_ledger import get_current_period, seal_current_period
from trickle_client.api.settlement import close_period, get_period_status

from trickle_cli.context import Json, gateway
from trickle_cli.errors import ApiProblem
from trickle_cli.gateway import Gateway
from trickle_cli.output import err, money, note, out, print_json, table

app = typer.Typer(help="Periods: status, seal the open one, close one (live progress bar).", no_args_is_help=True)

PeriodArg = Annotated[str, typer.Argument(help="A period, YYYY-MM", metavar="PERIOD")]


def _show(status: dict[str, Any]) -> None:
    progress = status.get("progress") or {}
    totals = status.get("totals") or {}
    rows: list[tuple[str, Any]] = [
        ("period", status["period"]),
        ("status", status["status"]),
        ("reason", status.get("reason")),
        ("started by", status.get("started_by")),
        ("started at", status.get("started_at")),
        ("closed at", status.get("closed_at")),
        ("seal markers", len(status.get("seal_markers") or [])),
    ]
    if progress:
        done = f"{progress['patrons_done']}/{progress['patrons_total']} ({_percent(progress)} %)"
        rows.append(("patrons done", done))
    if totals:
        rows += [
            ("patrons settled", totals.get("patrons_settled")),
            ("spent", money(totals.get("spent"))),
            ("commission", money(totals.get("commission"))),
            ("escrow", money(totals.get("escrow"))),
        ]
    table(f"Period {status['period']}", ("", "value"), rows)


def _percent(progress: dict[str, int]) -> int:
    total = progress["patrons_total"]
    return 100 if total == 0 else progress["patrons_done"] * 100 // total


@app.command()
def status(
    ctx: typer.Context,
    period: Annotated[str | None, typer.Argument(help="YYYY-MM (default: the open period)", metavar="[PERIOD]")] = None,
    as_json: Json = False,
) -> None:
    """Where a period's settlement stands: open, closing (patrons done / total) or closed, with its totals."""
    gw = gateway(ctx)
    if period is None:
        period = str(gw.call(get_current_period.sync_detailed)["id"])
    answer = gw.call(get_period_status.sync_detailed, period=period)
    if as_json:
        print_json(answer)
    else:
        _show(answer)


@app.command()
def seal(ctx: typer.Context, as_json: Json = False) -> None:
    """Seal the open period now and open the next (only where the demo calendar allows it before month end)."""
    answer = gateway(ctx).call(seal_current_period.sync_detailed)
    if as_json:
        print_json(answer)
        return
    sealed = answer["sealed"]
    clicks = sum(int(p.get("click_count", 0)) for p in answer.get("partitions") or [])
    out.print(f"sealed {sealed['id']} ({clicks} clicks); open now: {answer['opened']}", markup=False, highlight=False)


@app.command()
def close(
    ctx: typer.Context,
    period: PeriodArg,
    follow: Annotated[bool, typer.Option("--follow", "-f", help="Follow the close to its end.")] = False,
    interval: Annotated[float, typer.Option(help="Seconds between two looks at the progress.", min=0.05)] = 0.5,
    as_json: Json = False,
) -> None:
    """Start closing PERIOD (or see it closing already); --follow shows patrons done / total and an ETA."""
    gw = gateway(ctx)
    try:
        answer = gw.call(close_period.sync_detailed, period=period)
    except ApiProblem as problem:
        if problem.problem_code != "period_already_closed":
            raise
        note(f"{period} is closed already")
        answer = gw.call(get_period_status.sync_detailed, period=period)
    if follow and answer["status"] != "closed":
        answer = _follow(gw, period, interval)
    if as_json:
        print_json(answer)
        return
    _show(answer)
    if answer["status"] == "closed" and answer.get("progress"):
        p = answer["progress"]
        out.print(
            f"{period} closed: {p['patrons_done']}/{p['patrons_total']} patrons ({_percent(p)} %)",
            markup=False,
            highlight=False,
        )


def _follow(gw: Gateway, period: str, interval: float) -> dict[str, Any]:
    """Poll the close until it is closed: a live bar on a terminal, a line per change otherwise (stderr)."""
    live = err.is_terminal
    bar = Progress(
        TextColumn(f"closing {period}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("patrons"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err,
        disable=not live,
    )
    last: tuple[int, int] | None = None
    with bar:
        task = bar.add_task("close", total=None)
        while True:
            status = gw.call(get_period_status.sync_detailed, period=period)
            progress = status.get("progress") or {"patrons_done": 0, "patrons_total": 0}
            done, total = progress["patrons_done"], progress["patrons_total"]
            bar.update(task, completed=done, total=total or None)
            if (done, total) != last and not live:
                note(f"{period} {status['status']}: {done}/{total} patrons ({_percent(progress)} %)")
            last = (done, total)
            if status["status"] == "closed":
                return dict(status)
            time.sleep(interval)
