"""Public widgets (no auth, CORS open): counts, the SVG button, the embed script."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response

from trickle_click_ledger.clicks.queries import live_counts
from trickle_click_ledger.deps import AppSettings
from trickle_click_ledger.periods.service import ensure_open_period
from trickle_click_ledger.things.service import get_thing
from trickle_click_ledger.widgets.button import button_svg, embed_script, etag_of
from trickle_click_ledger.widgets.schemas import ThingCounts
from trickle_kit.dependencies import Sessions
from trickle_kit.envelope import utcnow
from trickle_kit.problems import problem_responses

router = APIRouter(prefix="/v1", tags=["widgets"])


async def _counts(sessions: Sessions, thing_id: str) -> ThingCounts:
    async with sessions() as session, session.begin():
        thing = await get_thing(session, thing_id)
        period = (await ensure_open_period(session, utcnow())).id
        in_period, all_time = await live_counts(session, thing.id, period)
        return ThingCounts(thing_id=thing.id, period=period, period_clicks=in_period, all_time_clicks=all_time)


@router.get("/things/{thing_id}/counts", response_model=ThingCounts, responses=problem_responses(404))
async def get_thing_counts(thing_id: str, sessions: Sessions, settings: AppSettings, response: Response) -> ThingCounts:
    """Clicks on a thing in the open period and of all time. Public."""
    counts = await _counts(sessions, thing_id)
    response.headers["Cache-Control"] = f"public, max-age={settings.widget_max_age_s}"
    return counts


@router.get(
    "/things/{thing_id}/button.svg",
    response_class=Response,
    responses={
        200: {"content": {"image/svg+xml": {}}, "description": "The button"},
        304: {"description": "Not modified (If-None-Match matched the ETag)"},
        **problem_responses(404),
    },
)
async def get_thing_button(
    thing_id: str,
    sessions: Sessions,
    settings: AppSettings,
    if_none_match: Annotated[str | None, Header(max_length=200)] = None,
) -> Response:
    """The click button of a thing as SVG, with the open period's count. Public, cacheable."""
    counts = await _counts(sessions, thing_id)
    body = button_svg(counts.period_clicks)
    etag = etag_of(body)
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={settings.widget_max_age_s}"}
    tags = [t.strip() for t in (if_none_match or "").split(",")]
    if etag in tags or "*" in tags:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="image/svg+xml", headers=headers)


@router.get(
    "/embed.js",
    response_class=Response,
    responses={200: {"content": {"text/javascript": {}}, "description": "The embed script"}},
)
async def get_embed_script(settings: AppSettings) -> Response:
    """A script that renders the button on any page and clicks for a signed-in patron. Public."""
    return Response(
        embed_script(settings.public_base_url),
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=3600"},
    )
