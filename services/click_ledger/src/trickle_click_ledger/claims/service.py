"""Claims: prove control of a domain, or of a path prefix on a shared host, with a token;
every thing under it becomes yours, with its escrow.

The proof is fetched through ``trickle_kit.ssrf`` (public addresses only, unless the
operator allow-lists some). A domain: ``<scheme>://<domain>/.well-known/trickle-verification``
containing the token, or else a ``<meta name="trickle-verification" content="<token>">``
tag on the home page. A path prefix on a shared host (github.com/alice): that meta tag, or a
``rel="me"`` link whose href contains the token, on the page at the prefix.

Precedence: claims of different accounts never overlap. A domain claim on a shared host and a
prefix claim elsewhere are refused (422); a claim that covers, or lies under, another account's
verified claim is refused (409), when started and again when verified. So a thing's owner is
the account of the one verified claim covering it (things/ownership.py).
"""

from __future__ import annotations

import re
import secrets
from html.parser import HTMLParser

import structlog
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_click_ledger.models import Claim, Thing
from trickle_click_ledger.outbox import OUTBOX
from trickle_click_ledger.settings import Settings
from trickle_click_ledger.things.ownership import lock_domain, things_under
from trickle_click_ledger.things.urls import InvalidUrl, canonical_domain, canonical_path_prefix, under_prefix
from trickle_events.clicks import ThingClaimed
from trickle_kit.auth import Principal
from trickle_kit.envelope import utcnow
from trickle_kit.errors import InvalidInput
from trickle_kit.ids import new_id
from trickle_kit.pagination import PageParams, paginate
from trickle_kit.problems import ProblemError, conflict, not_found
from trickle_kit.ssrf import FetchError, SsrfRefused, safe_get

log = structlog.get_logger("trickle.claims")

WELL_KNOWN_PATH = "/.well-known/trickle-verification"
META_NAME = "trickle-verification"


def new_token() -> str:
    return f"trickle-verification={secrets.token_urlsafe(24)}"


class _MetaFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.contents: list[str] = []
        self.rel_me: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag.lower() == "meta" and values.get("name", "").lower() == META_NAME:
            self.contents.append(values.get("content", "").strip())
        if tag.lower() in ("a", "link") and "me" in values.get("rel", "").lower().split():
            self.rel_me.append(values.get("href", "").strip())


def page_holds_token(html: str, token: str) -> bool:
    """The page at a path prefix proves a claim: the meta tag, or a ``rel="me"`` link holding the token."""
    return token in meta_tokens(html) or any(token in href for href in rel_me_links(html))


def meta_tokens(html: str) -> list[str]:
    """Every ``trickle-verification`` meta tag's content in ``html``."""
    finder = _MetaFinder()
    finder.feed(html)
    return finder.contents


def rel_me_links(html: str) -> list[str]:
    """The href of every ``<a>`` or ``<link>`` whose ``rel`` includes ``me`` in ``html``."""
    finder = _MetaFinder()
    finder.feed(html)
    return finder.rel_me


def well_known_matches(body: str, token: str) -> bool:
    """The file holds the token on a line of its own (other lines, e.g. other claimants', are allowed)."""
    return token in (line.strip() for line in re.split(r"[\r\n]+", body))


def _canonical_target(domain: str, path_prefix: str | None, shared_hosts: list[str]) -> tuple[str, str]:
    """(domain, prefix) as stored: prefix "" for a whole domain. Raises InvalidInput."""
    try:
        canonical = canonical_domain(domain)
        prefix = canonical_path_prefix(path_prefix) if path_prefix is not None else ""
    except InvalidUrl as exc:
        name = "path_prefix" if path_prefix is not None and "path" in str(exc) else "domain"
        raise InvalidInput("invalid_domain", str(exc), name) from exc
    shared = canonical in {h.strip().lower().rstrip(".") for h in shared_hosts}
    if shared and not prefix:
        raise InvalidInput(
            "shared_host_needs_prefix",
            f"{canonical} is shared by many creators: claim the path that is yours, e.g. {canonical}/<you>",
            "path_prefix",
        )
    if prefix and not shared:
        raise InvalidInput(
            "prefix_needs_shared_host",
            f"{canonical} is not a shared host: claim the whole domain (prefixes are for hosts such as github.com)",
            "path_prefix",
        )
    return canonical, prefix


def _overlaps(a: str, b: str) -> bool:
    return under_prefix(a, b) or under_prefix(b, a)


async def _refuse_overlap(session: AsyncSession, account_id: str, domain: str, prefix: str) -> None:
    """409 when another account's verified claim covers this one or lies under it; or when it is yours already."""
    rows = (
        await session.execute(
            select(Claim.account_id, Claim.path_prefix).where(Claim.domain == domain, Claim.status == "verified")
        )
    ).all()
    target = domain + prefix
    for owner, other in rows:
        if owner != account_id and _overlaps(prefix, other):
            raise conflict("domain_claimed", f"{target} overlaps {domain + other}, which another account verified")
        if owner == account_id and other == prefix:
            raise conflict("domain_already_yours", f"{target} is already claimed by you")


async def start_claim(
    session: AsyncSession, *, account_id: str, domain: str, path_prefix: str | None, shared_hosts: list[str]
) -> Claim:
    canonical, prefix = _canonical_target(domain, path_prefix, shared_hosts)
    await _refuse_overlap(session, account_id, canonical, prefix)
    claim = Claim(
        id=new_id("clm"),
        account_id=account_id,
        domain=canonical,
        path_prefix=prefix,
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


async def fetch_proof(settings: Settings, claim: Claim) -> str | None:
    """None when the site serves the token; otherwise why not. Raises SsrfRefused for forbidden hosts."""
    origin = _origin(settings, claim.domain)
    fetch = {"allow": settings.ssrf_allow, "timeout_s": settings.claim_timeout_s, "max_bytes": settings.claim_max_bytes}
    reasons: list[str] = []
    if claim.path_prefix:
        # On a shared host only the page at the prefix is the claimant's; its well-known file is not.
        try:
            response = await safe_get(origin + claim.path_prefix, **fetch)  # type: ignore[arg-type]
        except SsrfRefused:
            raise
        except FetchError as exc:
            return f"{claim.path_prefix}: {exc}"
        if response.status_code == 200 and page_holds_token(response.text, claim.token):
            return None
        return f"{claim.path_prefix} answered {response.status_code} without the meta tag or a rel=me link"
    try:
        response = await safe_get(origin + WELL_KNOWN_PATH, **fetch)  # type: ignore[arg-type]
        if response.status_code == 200 and well_known_matches(response.text, claim.token):
            return None
        reasons.append(f"{WELL_KNOWN_PATH} answered {response.status_code} without the token")
    except SsrfRefused:
        raise
    except FetchError as exc:
        reasons.append(f"{WELL_KNOWN_PATH}: {exc}")
    try:
        response = await safe_get(origin + "/", **fetch)  # type: ignore[arg-type]
        if response.status_code == 200 and claim.token in meta_tokens(response.text):
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


async def complete_claim(session: AsyncSession, claim_id: str, *, by: str = "proof") -> tuple[Claim, list[str]]:
    """Mark the claim verified; every thing under it not owned through a verified claim (unclaimed,
    whoever registered it, or owned without proof) becomes the claimant's: one ``ThingClaimed``
    per thing that changes hands, on which settlement moves that thing's escrow. (claim, thing ids)."""
    claim = (await session.execute(select(Claim).where(Claim.id == claim_id).with_for_update())).scalar_one()
    if claim.status == "verified":
        return claim, []
    await lock_domain(session, claim.domain, exclusive=True)
    await _refuse_overlap(session, claim.account_id, claim.domain, claim.path_prefix)
    now = utcnow()
    claim.status, claim.verified_at, claim.verified_by, claim.last_error = "verified", now, by, None
    await session.flush()
    covered = (
        await session.execute(
            select(Thing.id, Thing.owner_id)
            .where(things_under(claim.domain, claim.path_prefix), Thing.claim_id.is_(None))
            .order_by(Thing.id)
            .with_for_update()
        )
    ).all()
    if covered:
        await session.execute(
            update(Thing)
            .where(Thing.id.in_([row.id for row in covered]))
            .values(owner_id=claim.account_id, claim_id=claim.id, claimed_at=now, updated_at=now)
        )
    moved = [row.id for row in covered if row.owner_id != claim.account_id]
    for thing_id in moved:
        await OUTBOX.add(
            session, ThingClaimed(thing_id=thing_id, owner_id=claim.account_id, domain=claim.domain, claimed_at=now)
        )
    return claim, moved


def log_approval(claim: Claim, operator: str, reason: str) -> None:
    log.info(
        "claim_approved_by_operator",
        claim_id=claim.id,
        account_id=claim.account_id,
        domain=claim.domain,
        path_prefix=claim.path_prefix,
        operator=operator,
        reason=reason,
    )


def refused(exc: SsrfRefused) -> ProblemError:
    return ProblemError(
        422, "verification_target_refused", "Verification target refused", f"Cannot fetch the proof: {exc}"
    )
