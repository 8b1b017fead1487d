"""HTTP endpoints of things."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_click_ledger.deps import ClicksRead, ClicksWrite, account_of, owner_filter
from trickle_click_ledger.things import service
from trickle_click_ledger.things.schemas import ThingCreate, ThingList, ThingOut, ThingUpdate
from trickle_kit.dependencies import Sessions
from trickle_kit.idempotency import IdempotencyKey, create_once
from trickle_kit.pagination import Pagination, cursor_of
from trickle_kit.problems import input_from, problem_responses

router = APIRouter(prefix="/v1/things", tags=["things"])


@router.post(
    "",
    status_code=201,
    response_model=ThingOut,
    responses=problem_responses(400, 401, 403, 409, 422),
)
async def register_thing(
    request: Request,
    payload: ThingCreate,
    principal: ClicksWrite,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Register a thing at a URL (canonicalised; a URL can be one thing only).

    You own it only if the URL lies under a domain (or, on a shared host such as github.com, a
    path prefix) you have verified with a claim. Otherwise it is created all the same (201)
    but unclaimed: ``owner_id`` null, ``claim_status`` ``pending_claim``, ``claim_hint`` says
    what to do; its money waits in escrow and becomes the verifier's with the first verified
    claim covering it. Under another account's verified claim: 409 ``url_claimed``.
    """
    registrant = account_of(principal)

    async def create(session: AsyncSession) -> tuple[ThingOut, str]:
        with input_from("body"):
            thing = await service.register_thing(
                session,
                registrant_id=registrant,
                url=payload.url,
                title=payload.title,
                category=payload.category,
                weight=payload.weight,
            )
        return ThingOut.model_validate(thing), f"/v1/things/{thing.id}"

    response, _ = await create_once(request, key=idempotency_key, scope=principal.subject, body=payload, create=create)
    return response


@router.get("", response_model=ThingList, responses=problem_responses(401, 403, 422))
async def list_things(
    principal: ClicksRead,
    sessions: Sessions,
    page: Pagination,
    owner_id: Annotated[str | None, Query(max_length=64, description="Operators: another account's")] = None,
) -> ThingList:
    """The things you own."""
    owner = owner_filter(principal, owner_id)
    async with sessions() as session:
        things, has_more = await service.list_owned(session, owner, page)
    return ThingList(
        data=[ThingOut.model_validate(t) for t in things],
        has_more=has_more,
        next_starting_after=cursor_of(things, has_more),
    )


@router.get("/lookup", response_model=ThingOut, responses=problem_responses(404, 422))
async def lookup_thing(
    sessions: Sessions, url: Annotated[str, Query(min_length=1, max_length=2048, description="Any form of the URL")]
) -> ThingOut:
    """The thing at a URL (matched after canonicalisation). Public."""
    async with sessions() as session:
        with input_from("query"):
            return ThingOut.model_validate(await service.lookup_thing(session, url))


@router.get("/{thing_id}", response_model=ThingOut, responses=problem_responses(404))
async def get_thing(sessions: Sessions, thing_id: str) -> ThingOut:
    """A thing by id. Public."""
    async with sessions() as session:
        return ThingOut.model_validate(await service.get_thing(session, thing_id))


@router.patch("/{thing_id}", response_model=ThingOut, responses=problem_responses(400, 401, 403, 404, 422))
async def update_thing(thing_id: str, payload: ThingUpdate, principal: ClicksWrite, sessions: Sessions) -> ThingOut:
    """Change the title, category or weight of your thing."""
    changes = payload.model_dump(exclude_unset=True)
    if "weight" in changes and changes["weight"] is None:  # null title/category clear them; weight stays
        changes.pop("weight")
    async with sessions() as session, session.begin():
        thing = await service.update_thing(session, principal, thing_id, changes)
        out = ThingOut.model_validate(thing)
    return out
