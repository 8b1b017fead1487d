"""``trickle webhooks recover``: queue again what failed for an endpoint since a time (webhook)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from trickle_client.api.webhook import recover_webhook_endpoint
from trickle_client.models import WebhookRecoverRequest

from trickle_cli.context import Json, gateway
from trickle_cli.output import note, print_json

app = typer.Typer(help="Webhook endpoints: recover failed deliveries.", no_args_is_help=True)


@app.command()
def recover(
    ctx: typer.Context,
    endpoint_id: Annotated[str, typer.Argument(help="A webhook endpoint id (ep_…)", metavar="ENDPOINT_ID")],
    since: Annotated[
        datetime,
        typer.Option(
            help="Every message that failed at or after this time (ISO 8601, UTC if no offset).",
            formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"],
        ),
    ],
    as_json: Json = False,
) -> None:
    """Re-queue every message of ENDPOINT_ID that failed since --since (each with a fresh retry schedule)."""
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    answer = gateway(ctx).call(
        recover_webhook_endpoint.sync_detailed, endpoint_id=endpoint_id, body=WebhookRecoverRequest(since=since)
    )
    if as_json:
        print_json(answer)
    else:
        note(f"{answer['requeued']} failed message(s) of {answer['endpoint_id']} queued again")
