"""GET /v1/creators/{account_id}: a creator's public profile (no auth, like the widgets)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from trickle_click_ledger.creators.schemas import CreatorProfile
from trickle_click_ledger.creators.service import creator_profile
from trickle_kit.dependencies import Sessions
from trickle_kit.problems import problem_responses

router = APIRouter(prefix="/v1/creators", tags=["creators"])


@router.get(
    "/{account_id}",
    response_model=CreatorProfile,
    summary="A creator's public profile",
    responses=problem_responses(422),
)
async def get_creator_profile(
    account_id: Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_]+$", description="An account id")],
    sessions: Sessions,
) -> CreatorProfile:
    """The creator's things with their click counts, and the patrons who support them publicly
    (only patrons who give publicly, by their current choice). Public: what anybody may see. An
    account that owns nothing, or none at all, has an empty profile: it does not tell whether an
    account exists."""
    async with sessions() as session, session.begin():
        return await creator_profile(session, account_id)
