"""HTTP endpoints of subscriptions."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_click_ledger.deps import AppSettings, ClicksRead, ClicksWrite, account_of
from trickle_click_ledger.subscriptions import service
from trickle_click_ledger.subscriptions.schemas import SubscriptionCreate, SubscriptionList, SubscriptionOut
from trickle_kit.dependencies import Sessions
from trickle_kit.idempotency import IdempotencyKey, create_once
from trickle_kit.pagination import Pagination, cursor_of
from trickle_kit.problems import problem_responses

router = APIRouter(prefix="/v1/subscriptions", tags=["subscriptions"])


@router.post(
    "", status_code=201, response_model=SubscriptionOut, responses=problem_responses(400, 401, 403, 404, 409, 422)
)
async def create_subscription(
    request: Request,
    payload: SubscriptionCreate,
    principal: ClicksWrite,
    sessions: Sessions,
    settings: AppSettings,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Subscribe to a thing for 3, 6 or 12 periods from the open one; its click for the open period is made now."""
    patron = account_of(principal)

    async def create(session: AsyncSession) -> tuple[SubscriptionOut, str]:
        sub = await service.create_subscription(
            session,
            patron_id=patron,
            thing_id=payload.thing_id,
            periods=payload.periods,
            partitions=settings.click_partitions,
        )
        return SubscriptionOut.model_validate(sub), f"/v1/subscriptions/{sub.id}"

    response, _ = await create_once(request, key=idempotency_key, scope=principal.subject, body=payload, create=create)
    return response


@router.get("", response_model=SubscriptionList, responses=problem_responses(401, 403, 422))
async def list_subscriptions(principal: ClicksRead, sessions: Sessions, page: Pagination) -> SubscriptionList:
    """Your subscriptions."""
    async with sessions() as session:
        subs, has_more = await service.list_subscriptions(session, patron_id=account_of(principal), page=page)
    return SubscriptionList(
        data=[SubscriptionOut.model_validate(s) for s in subs],
        has_more=has_more,
        next_starting_after=cursor_of(subs, has_more),
    )


@router.get("/{subscription_id}", response_model=SubscriptionOut, responses=problem_responses(401, 403, 404))
async def get_subscription(subscription_id: str, principal: ClicksRead, sessions: Sessions) -> SubscriptionOut:
    """One of your subscriptions."""
    async with sessions() as session:
        return SubscriptionOut.model_validate(await service.get_subscription(session, principal, subscription_id))


@router.delete("/{subscription_id}", response_model=SubscriptionOut, responses=problem_responses(401, 403, 404))
async def cancel_subscription(subscription_id: str, principal: ClicksWrite, sessions: Sessions) -> SubscriptionOut:
    """Stop the automatic clicks of later periods (clicks already made stay, revocable as usual)."""
    async with sessions() as session, session.begin():
        sub = await service.cancel_subscription(session, principal, subscription_id)
        out = SubscriptionOut.model_validate(sub)
    return out
