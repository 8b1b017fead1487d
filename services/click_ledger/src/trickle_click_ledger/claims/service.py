"""Domain claims: prove control of a domain with a token; its unclaimed things become yours.

The proof is fetched through ``trickle_kit.ssrf`` (public addresses only, unless the
operator allow-lists some): ``<scheme>://<domain>/.well-known/trickle-verification``
containing the token, or else a ``<meta name="trickle-verification" content="<token>">``
tag on the home page.
"""

from __future__ import annotations

import re
import secrets
from html.parser import HTMLParser

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_click_ledger.models import Claim, Thing
from trickle_click_ledger.outbox import OUTBOX
from trickle_click_ledger.settings import Settings
from trickle_click_ledger.things.urls import InvalidUrl, canonical_domain
from trickle_events.clicks import ThingClaimed
from trickle_kit.auth import Principal
from trickle_kit.envelope import utcnow
from trickle_kit.ids import new_id
from trickle_kit.pagination import PageParams, paginate
from trickle_kit.problems import ProblemError, conflict, not_found, unprocessable
from trickle_kit.ssrf import FetchError, SsrfRefused, safe_get

WELL_KNOWN_PATH = "/.well-known/trickle-verification"
META_NAME = "trickle-verification"


def new_token() -> str:
    return f"trickle-verification={secrets.token_urlsafe(24)}"


class _MetaFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.contents: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag.lower() == "meta":
            values = {k.lower(): (v or "") for k, v in attrs}
            if values.get("name", "").lower() == META_NAME:
                self.contents.append(values.get("content", "").strip())


def meta_tokens(html: str) -> list[str]:
    """Every ``trickle-verification`` meta tag's content in ``html``."""
    finder = _MetaFinder()
    finder.feed(html)
    return finder.contents


def well_known_matches(body: str, token: str) -> bool:
    """The file holds the token on a line of its own (other lines, e.g. other claimants', are allowed)."""
    return token in (line.strip() for line in re.split(r"[\r\n]+", body))


async def start_claim(session: AsyncSession, *, account_id: str, domain: str) -> Claim:
    try:
        canonical = canonical_domain(domain)
    except InvalidUrl as exc:
        raise unprocessable("invalid_domain", str(exc), field="body.domain") from exc
    owner = (
        await session.execute(select(Claim.account_id).where(Claim.domain == canonical, Claim.status == "verified"))
    ).scalar_one_or_none()
    if owner is not None:
        mine = owner == account_id
        code, whose = ("domain_already_yours", "you") if mine else ("domain_claimed", "another account")
        raise conflict(code, f"{canonical} is already claimed by {whose}")
    claim = Claim(
        id=new_id("clm"),
        account_id=account_id,
        domain=canonical,
        token=new_token(),
        status="pending",
        created_at=utcnow(),
    )
    session.add(claim)
    await session.flush()
    return claim


async def get_claim(session: AsyncSession, principal: Principal, claim_id: str) -> Claim:
    claim = (await session.execute(select(Claim).where(Claim.id == claim_id))).scalar_one_or_none()
    if claim is None or not principal.may_act_for(claim.account_id):
        raise not_found("Claim", claim_id)
    return claim


async def list_claims(session: AsyncSession, *, account_id: str, page: PageParams) -> tuple[list[Claim], bool]:
    rows, has_more = await paginate(session, select(Claim).where(Claim.account_id == account_id), Claim.id, page)
    return list(rows), has_more


def _origin(settings: Settings, domain: str) -> str:
    host = f"[{domain}]" if ":" in domain else domain
    port = f":{settings.claim_port}" if settings.claim_port else ""
    return f"{settings.claim_scheme}://{host}{port}"


async def fetch_proof(settings: Settings, domain: str, token: str) -> str | None:
    """None when the domain serves the token; otherwise why not. Raises SsrfRefused for forbidden hosts."""
    origin = _origin(settings, domain)
    fetch = {"allow": settings.ssrf_allow, "timeout_s": settings.claim_timeout_s, "max_bytes": settings.claim_max_bytes}
    reasons: list[str] = []
    try:
        response = await safe_get(origin + WELL_KNOWN_PATH, **fetch)  # type: ignore[arg-type]
        if response.status_code == 200 and well_known_matches(response.text, token):
            return None
        reasons.append(f"{WELL_KNOWN_PATH} answered {response.status_code} without the token")
    except SsrfRefused:
        raise
    except FetchError as exc:
        reasons.append(f"{WELL_KNOWN_PATH}: {exc}")
    try:
        response = await safe_get(origin + "/", **fetch)  # type: ignore[arg-type]
        if response.status_code == 200 and token in meta_tokens(response.text):
            return None
        reasons.append(f"home page answered {response.status_code} without the meta tag")
    except SsrfRefused:
        raise
    except FetchError as exc:
        reasons.append(f"home page: {exc}")
    return "; ".join(reasons)


async def record_failure(session: AsyncSession, claim: Claim, reason: str) -> None:
    await session.execute(
        update(Claim)
        .where(Claim.id == claim.id, Claim.status != "verified")
        .values(status="failed", last_error=reason[:500])
    )


async def complete_claim(session: AsyncSession, claim_id: str) -> tuple[Claim, list[str]]:
    """Mark the claim verified and give the domain's unclaimed things to the claimant; (claim, thing ids)."""
    claim = (await session.execute(select(Claim).where(Claim.id == claim_id).with_for_update())).scalar_one()
    if claim.status == "verified":
        return claim, []
    other = (
        await session.execute(select(Claim.account_id).where(Claim.domain == claim.domain, Claim.status == "verified"))
    ).scalar_one_or_none()
    if other is not None:
        raise conflict("domain_claimed", f"{claim.domain} is already claimed by another account")
    now = utcnow()
    claim.status, claim.verified_at, claim.last_error = "verified", now, None
    await session.flush()
    things = list(
        (
            await session.execute(
                update(Thing)
                .where(Thing.domain == claim.domain, Thing.owner_id.is_(None))
                .values(owner_id=claim.account_id, claimed_at=now, updated_at=now)
                .returning(Thing.id)
            )
        ).scalars()
    )
    for thing_id in sorted(things):
        await OUTBOX.add(
            session, ThingClaimed(thing_id=thing_id, owner_id=claim.account_id, domain=claim.domain, claimed_at=now)
        )
    return claim, things


def refused(exc: SsrfRefused) -> ProblemError:
    return ProblemError(
        422, "verification_target_refused", "Verification target refused", f"Cannot fetch the proof: {exc}"
    )
