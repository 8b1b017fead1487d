"""``operations_router``: the operator endpoints every service mounts under ``/v1/operations/<service>/``.

One implementation for the four services; the operation ids carry the service's name
(``list_wallet_dead_letters``) so the platform's merged OpenAPI document has each once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, cast

from fastapi import APIRouter, Path, Request

from trickle_kit.auth import OPERATOR, Principal, require
from trickle_kit.dependencies import Sessions
from trickle_kit.operations import queries
from trickle_kit.operations.dead_letters import DLQ_SUFFIX, DeadLetterRecord, find_dead_letter, send_back
from trickle_kit.operations.schemas import (
    DeadLetter,
    DeadLetterDetail,
    DeadLetterList,
    DeadLetterReplay,
    OutboxBacklog,
)
from trickle_kit.pagination import Pagination
from trickle_kit.problems import ProblemError, conflict, not_found, problem_responses
from trickle_kit.settings import KitSettings

Operator = Annotated[Principal, require(OPERATOR)]
EventId = Annotated[
    str, Path(max_length=64, pattern=r"^evt_[0-9a-f]+$", description="A CloudEvent id", examples=["evt_0190c0ffee…"])
]


def _settings(request: Request) -> KitSettings:
    return cast(KitSettings, request.app.state.settings)


def operations_router(service: str, *, topics: Sequence[str]) -> APIRouter:
    """The outbox and dead-letter endpoints of ``service`` (its name in paths: ``click-ledger``).

    ``topics``: the logical topics the service's consumers read; their ``<topic>.dlq`` hold the
    records of its dead letters.
    """
    slug = service.replace("_", "-")
    name = service.replace("-", "_")
    router = APIRouter(prefix=f"/v1/operations/{slug}", tags=["operations"])

    async def find_record(request: Request, event_id: str, consumers: list[str]) -> DeadLetterRecord | None:
        settings = _settings(request)
        dlq_topics = [settings.topic(t) + DLQ_SUFFIX for t in topics]
        try:
            return await find_dead_letter(settings.kafka_bootstrap, dlq_topics, event_id, consumers)
        except Exception as exc:  # Kafka away: say so, as a problem
            raise ProblemError(503, "kafka_unavailable", "Kafka unavailable", f"{type(exc).__name__}: {exc}") from exc

    async def outbox(principal: Operator, sessions: Sessions) -> OutboxBacklog:
        async with sessions() as session:
            status = await queries.outbox_status(session)
        return OutboxBacklog(
            service=slug,
            pending=status.pending,
            oldest_age_s=status.oldest_age_s,
            oldest_occurred_at=status.oldest_occurred_at,
        )

    async def list_dead_letters(principal: Operator, sessions: Sessions, page: Pagination) -> DeadLetterList:
        async with sessions() as session:
            rows, has_more = await queries.dead_letters(session, starting_after=page.starting_after, limit=page.limit)
        data = [
            DeadLetter(event_id=r.event_id, service=slug, consumer=r.consumer, dead_at=r.dead_at, error=r.error)
            for r in rows
        ]
        return DeadLetterList(data=data, has_more=has_more, next_starting_after=data[-1].event_id if has_more else None)

    async def get_dead_letter(
        request: Request, event_id: EventId, principal: Operator, sessions: Sessions
    ) -> DeadLetterDetail:
        async with sessions() as session:
            rows = await queries.dead_letters_of(session, event_id)
        if not rows:
            raise not_found("Dead letter", event_id)
        record = await find_record(request, event_id, [r.consumer for r in rows])
        first = rows[0]
        return DeadLetterDetail(
            event_id=event_id,
            service=slug,
            consumer=first.consumer,
            dead_at=first.dead_at,
            error=first.error,
            topic=record.topic if record else None,
            partition=record.partition if record else None,
            offset=record.offset if record else None,
            event_type=record.event_type if record else None,
            reason=record.reason if record else None,
            payload=record.payload() if record else None,
        )

    async def replay_dead_letter(
        request: Request, event_id: EventId, principal: Operator, sessions: Sessions
    ) -> DeadLetterReplay:
        async with sessions() as session, session.begin():
            # Held until the record is back on its topic: a second replay waits, then finds nothing dead.
            rows = await queries.dead_letters_of(session, event_id, for_update=True)
            if not rows:
                if await queries.applied_by(session, event_id):
                    raise conflict("dead_letter_not_dead", f"Event {event_id} is applied, not dead: nothing to replay")
                raise not_found("Dead letter", event_id)
            consumers = [r.consumer for r in rows]
            record = await find_record(request, event_id, consumers)
            if record is None:
                raise conflict(
                    "dead_letter_record_missing",
                    f"Event {event_id}'s record is no longer on the dead-letter topics (retention?)",
                )
            await queries.forget_dead_letters(session, event_id, consumers)
            # Sent before the commit: if the commit fails, the record comes back to a dead row and is skipped.
            try:
                await send_back(_settings(request).kafka_bootstrap, record)
            except Exception as exc:
                raise ProblemError(
                    503, "kafka_unavailable", "Kafka unavailable", f"{type(exc).__name__}: {exc}"
                ) from exc
        return DeadLetterReplay(event_id=event_id, service=slug, consumers=consumers, topic=record.topic)

    router.add_api_route(
        "/outbox",
        outbox,
        methods=["GET"],
        name=f"get_{name}_outbox_backlog",
        summary=f"The {slug} outbox backlog (operators)",
        description="Events committed but not yet published to Kafka, and the age of the oldest.",
        response_model=OutboxBacklog,
        responses=problem_responses(401, 403, 429),
    )
    router.add_api_route(
        "/dead-letters",
        list_dead_letters,
        methods=["GET"],
        name=f"list_{name}_dead_letters",
        summary=f"Dead letters of the {slug} consumers (operators)",
        description="Events a consumer of this service could not apply (they went to `<topic>.dlq`), oldest first.",
        response_model=DeadLetterList,
        responses=problem_responses(401, 403, 422, 429),
    )
    router.add_api_route(
        "/dead-letters/{event_id}",
        get_dead_letter,
        methods=["GET"],
        name=f"get_{name}_dead_letter",
        summary=f"A dead letter of the {slug} consumers, with its record (operators)",
        description="The inbox's note and the record read back from the dead-letter topic (payload, reason).",
        response_model=DeadLetterDetail,
        responses=problem_responses(401, 403, 404, 422, 429, 503),
    )
    router.add_api_route(
        "/dead-letters/{event_id}/replay",
        replay_dead_letter,
        methods=["POST"],
        status_code=202,
        name=f"replay_{name}_dead_letter",
        summary=f"Replay a dead letter of the {slug} consumers (operators)",
        description=(
            "Sends the event's record back to its topic with its CloudEvent id; the consumers that could not "
            "apply it claim it again in their inbox and apply it once (or dead-letter it again). Consumers "
            "that applied it skip it. `409 dead_letter_not_dead` when the event is applied."
        ),
        response_model=DeadLetterReplay,
        responses=problem_responses(401, 403, 404, 409, 422, 429, 503),
    )
    return router
