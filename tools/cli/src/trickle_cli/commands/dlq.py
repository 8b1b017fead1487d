"""``trickle dlq list|show|replay``: the events a service's consumers could not apply (``<topic>.dlq``)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from trickle_cli.context import Json, Service, gateway, services
from trickle_cli.errors import ApiProblem, CliError, Exit
from trickle_cli.gateway import Gateway
from trickle_cli.operations import OPERATIONS
from trickle_cli.output import note, out, print_json, table

app = typer.Typer(help="Dead letters: list them, show one with its payload, replay one.", no_args_is_help=True)

EventArg = Annotated[str, typer.Argument(help="The event's id (evt_…)", metavar="EVENT_ID")]


def _all_pages(gw: Gateway, service: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"limit": 100}
    while True:
        page = gw.call(OPERATIONS[service].list_dead_letters, **kwargs)
        items += page["data"]
        if not page["has_more"]:
            return items
        kwargs["starting_after"] = page["next_starting_after"]


@app.command("list")
def list_(
    ctx: typer.Context,
    service: Service = None,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 when there is any dead letter.")] = False,
    as_json: Json = False,
) -> None:
    """Every dead letter of every service (or of --service), oldest event first."""
    gw = gateway(ctx)
    letters = [letter for s in services(service) for letter in _all_pages(gw, s)]
    letters.sort(key=lambda d: (d["event_id"], d["service"], d["consumer"]))
    if as_json:
        print_json({"data": letters})
    else:
        table(
            f"Dead letters ({len(letters)})",
            ("event id", "service", "consumer", "dead at", "error"),
            ((d["event_id"], d["service"], d["consumer"], d["dead_at"], (d.get("error") or "")[:80]) for d in letters),
        )
    if check and letters:
        raise typer.Exit(int(Exit.CHECK_FAILED))


def _where_dead(gw: Gateway, event_id: str, service: str | None) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for s in services(service):
        try:
            found.append((s, gw.call(OPERATIONS[s].get_dead_letter, event_id=event_id)))
        except ApiProblem as problem:
            if problem.status != 404:
                raise
    if not found:
        where = service or "any service"
        raise CliError(Exit.REFUSED, f"Not found: no dead letter {event_id} in {where} (not_found)")
    return found


@app.command()
def show(ctx: typer.Context, event_id: EventArg, service: Service = None, as_json: Json = False) -> None:
    """A dead letter: who could not apply it and why, with the event as it was published."""
    found = _where_dead(gateway(ctx), event_id, service)
    if as_json:
        print_json(found[0][1] if len(found) == 1 else {"data": [d for _, d in found]})
        return
    for _, d in found:
        rows = [
            (k, d.get(k))
            for k in ("event_id", "service", "consumer", "dead_at", "event_type", "topic", "partition", "offset")
        ]
        table(f"Dead letter {event_id}", ("", "value"), rows)
        out.print("error:", d.get("error") or d.get("reason") or "", markup=False, highlight=False)
        out.print_json(data=d.get("payload"))


@app.command()
def replay(ctx: typer.Context, event_id: EventArg, service: Service = None, as_json: Json = False) -> None:
    """Send a dead letter back to its topic: its consumers apply it once (or dead-letter it again)."""
    gw = gateway(ctx)
    replayed: list[dict[str, Any]] = []
    refusals: list[ApiProblem] = []
    for s in services(service):
        try:
            replayed.append(gw.call(OPERATIONS[s].replay_dead_letter, event_id=event_id))
        except ApiProblem as problem:
            if problem.status != 404:
                refusals.append(problem)
    # Other services may have applied the event (their consumers did): only when no service
    # replays it is a refusal (409 dead_letter_not_dead: applied, never twice) the answer.
    if not replayed and refusals:
        raise refusals[0]
    if not replayed:
        raise CliError(Exit.REFUSED, f"Not found: no dead letter {event_id} in {service or 'any service'} (not_found)")
    if as_json:
        print_json({"data": replayed})
    else:
        for r in replayed:
            note(f"replayed {r['event_id']} on {r['topic']} for {', '.join(r['consumers'])} ({r['service']})")
    # Any other refusal (Kafka away, record missing...) leaves a dead letter standing: never exit 0.
    failed = [p for p in refusals if p.problem_code != "dead_letter_not_dead"]
    if failed:
        raise max(failed, key=lambda p: int(p.code))
