"""HTTP endpoints of clicks."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from trickle_click_ledger.clicks import service
from trickle_click_ledger.clicks.batcher import ClickBatcher
from trickle_click_ledger.clicks.repository import InsertedClick
from trickle_click_ledger.clicks.schemas import ClickCreate, ClickList, ClickOut, ThingClickList, ThingClickOut
from trickle_click_ledger.deps import AppSettings, ClicksRead, ClicksWrite, account_of, owner_filter
from trickle_click_ledger.models import Click
from trickle_click_ledger.periods.calendar import PERIOD_PATTERN
from trickle_kit.dependencies import Sessions
from trickle_kit.idempotency import IdempotencyKey, begin_idempotent
from trickle_kit.pagination import Pagination, cursor_of
from trickle_kit.problems import input_from, problem_responses

router = APIRouter(prefix="/v1/clicks", tags=["clicks"])
# The clicks on a thing: listed with the thing's operations (app.py mounts it right after things/).
thing_clicks_router = APIRouter(prefix="/v1/things", tags=["things"])


# async on purpose: FastAPI runs plain ``def`` dependencies in a thread pool, a thread hop per request.
async def _batcher(request: Request) -> ClickBatcher:
    """The app's click batcher (started by ``app.build_app``)."""
    return cast(ClickBatcher, request.app.state.click_batcher)


Batcher = Annotated[ClickBatcher, Depends(_batcher)]


@router.post(
    "",
    status_code=201,
    response_model=ClickOut,
    responses={
        200: {"model": ClickOut, "description": "You had already clicked it this period: that click"},
        **problem_responses(400, 401, 403, 404, 409, 422),
    },
)
async def create_click(
    request: Request,
    payload: ClickCreate,
    principal: ClicksWrite,
    sessions: Sessions,
    settings: AppSettings,
    batcher: Batcher,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Click a thing, or any URL (an unknown URL becomes an unclaimed thing), in the open period.

    One click per thing and period: clicking again returns the existing click with 200. A patron an operator
    suspended (or who deleted the account) gets 409 ``account_suspended``.
    """
    patron = account_of(principal)
    # A suspended patron's click is refused by the insert itself (no statement of its own per
    # click); the one-click path then answers why (``service.register_click``).
    if payload.thing_id is not None and idempotency_key is None:
        # The common case: group commit, the click joins whatever others are waiting.
        click, created = await batcher.click(patron, payload.thing_id)
        return click_response(click, created=created)
    # By URL, or with an Idempotency-Key: the one-click path, in the transaction that keeps the key.
    async with begin_idempotent(
        sessions, key=idempotency_key, scope=principal.subject, request=request, body=payload.model_dump(mode="json")
    ) as idem:
        if idem.replay is not None:
            return idem.replay
        async with sessions() as session, session.begin():
            with input_from("body"):
                click, created = await service.register_click(
                    session,
                    patron_id=patron,
                    thing_id=payload.thing_id,
                    url=payload.url,
                    partitions=settings.click_partitions,
                )
            response = click_response(click, created=created)
            await idem.store(session, response)
        return response


def click_response(click: Click | InsertedClick, *, created: bool) -> Response:
    """201 (new) or 200 (the live click repeated), with its Location.

    The body is pydantic's own JSON, the same bytes as a ``JSONResponse`` of the model's JSON
    dump (compact, UTF-8) without the detour through a dict and ``json.dumps``: this runs
    for every click.
    """
    return Response(
        ClickOut.model_validate(click).model_dump_json(),
        201 if created else 200,
        headers={"Location": f"/v1/clicks/{click.id}"},
        media_type="application/json",
    )


@router.get("", response_model=ClickList, responses=problem_responses(401, 403, 422))
async def list_clicks(
    principal: ClicksRead,
    sessions: Sessions,
    page: Pagination,
    period: Annotated[str | None, Query(pattern=PERIOD_PATTERN, examples=["2026-11"])] = None,
    include_revoked: bool = False,
    patron_id: Annotated[str | None, Query(max_length=64, description="Operators: another patron's")] = None,
) -> ClickList:
    """Your clicks, oldest first, optionally of one period. Nobody else sees them (operators excepted)."""
    patron = owner_filter(principal, patron_id)
    async with sessions() as session:
        clicks, has_more = await service.list_clicks(
            session, patron_id=patron, period=period, include_revoked=include_revoked, page=page
        )
    return ClickList(
        data=[ClickOut.model_validate(c) for c in clicks],
        has_more=has_more,
        next_starting_after=cursor_of(clicks, has_more),
    )


@router.get("/{click_id}", response_model=ClickOut, responses=problem_responses(401, 403, 404))
async def get_click(click_id: str, principal: ClicksRead, sessions: Sessions) -> ClickOut:
    """One of your clicks."""
    async with sessions() as session:
        return ClickOut.model_validate(await service.get_click(session, principal, click_id))


@router.delete("/{click_id}", response_model=ClickOut, responses=problem_responses(401, 403, 404, 409))
async def revoke_click(click_id: str, principal: ClicksWrite, sessions: Sessions) -> ClickOut:
    """Revoke your click while its period is open (409 ``period_sealed`` after)."""
    async with sessions() as session, session.begin():
        click = await service.revoke_click(session, principal, click_id)
        out = ClickOut.model_validate(click)
    return out


@thing_clicks_router.get(
    "/{thing_id}/clicks", response_model=ThingClickList, responses=problem_responses(401, 403, 404, 422)
)
async def list_thing_clicks(
    thing_id: str,
    principal: ClicksRead,
    sessions: Sessions,
    page: Pagination,
    period: Annotated[str | None, Query(pattern=PERIOD_PATTERN)] = None,
) -> ThingClickList:
    """Clicks on your thing. Who clicked is shown only for patrons who give publicly."""
    async with sessions() as session:
        clicks, has_more, public = await service.list_thing_clicks(
            session, principal, thing_id=thing_id, period=period, page=page
        )
    data = [
        ThingClickOut(
            id=c.id,
            period=c.period,
            patron_id=c.patron_id if c.patron_id in public else None,
            public=c.patron_id in public,
            created_at=c.created_at,
        )
        for c in clicks
    ]
    return ThingClickList(data=data, has_more=has_more, next_starting_after=cursor_of(clicks, has_more))
