"""HTTP endpoints of domain claims."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_click_ledger.claims import service
from trickle_click_ledger.claims.schemas import ClaimApproval, ClaimCreate, ClaimList, ClaimOut, ClaimVerification
from trickle_click_ledger.deps import AppSettings, ClicksRead, ClicksWrite, Operator, account_of
from trickle_kit.dependencies import Sessions
from trickle_kit.idempotency import IdempotencyKey, create_once
from trickle_kit.pagination import Pagination, cursor_of
from trickle_kit.problems import input_from, problem_responses
from trickle_kit.ssrf import SsrfRefused

router = APIRouter(prefix="/v1/claims", tags=["claims"])


@router.post("", status_code=201, response_model=ClaimOut, responses=problem_responses(400, 401, 403, 409, 422))
async def create_claim(
    request: Request,
    payload: ClaimCreate,
    principal: ClicksWrite,
    settings: AppSettings,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Start claiming a domain, or a path prefix on a shared host (``path_prefix``): you get the token to serve.

    422 ``shared_host_needs_prefix`` for a whole shared host, ``prefix_needs_shared_host`` for a
    prefix elsewhere; 409 ``domain_claimed`` when it overlaps another account's verified claim."""
    account = account_of(principal)

    async def create(session: AsyncSession) -> tuple[ClaimOut, str]:
        with input_from("body"):
            claim = await service.start_claim(
                session,
                account_id=account,
                domain=payload.domain,
                path_prefix=payload.path_prefix,
                shared_hosts=settings.shared_hosts,
            )
        return ClaimOut.model_validate(claim), f"/v1/claims/{claim.id}"

    response, _ = await create_once(request, key=idempotency_key, scope=principal.subject, body=payload, create=create)
    return response


@router.get("", response_model=ClaimList, responses=problem_responses(401, 403, 422))
async def list_claims(principal: ClicksRead, sessions: Sessions, page: Pagination) -> ClaimList:
    """Your domain claims."""
    async with sessions() as session:
        claims, has_more = await service.list_claims(session, account_id=account_of(principal), page=page)
    return ClaimList(
        data=[ClaimOut.model_validate(c) for c in claims],
        has_more=has_more,
        next_starting_after=cursor_of(claims, has_more),
    )


@router.get("/{claim_id}", response_model=ClaimOut, responses=problem_responses(401, 403, 404))
async def get_claim(claim_id: str, principal: ClicksRead, sessions: Sessions) -> ClaimOut:
    """One of your claims."""
    async with sessions() as session:
        return ClaimOut.model_validate(await service.get_claim(session, principal, claim_id))


@router.post(
    "/{claim_id}/verify", response_model=ClaimVerification, responses=problem_responses(401, 403, 404, 409, 422)
)
async def verify_claim(
    claim_id: str, principal: ClicksWrite, sessions: Sessions, settings: AppSettings
) -> ClaimVerification:
    """Fetch the proof from the site; when it holds the token, every thing under the claim becomes yours
    (unclaimed ones with their escrow, whoever registered them, and ones owned without proof).

    The fetch refuses private and loop-back addresses (422 ``verification_target_refused``).
    409 ``domain_claimed`` when another account verified an overlapping claim meanwhile.
    """
    async with sessions() as session:
        claim = await service.get_claim(session, principal, claim_id)
    if claim.status == "verified":
        return ClaimVerification(claim=ClaimOut.model_validate(claim), verified=True)
    try:
        failure = await service.fetch_proof(settings, claim)
    except SsrfRefused as exc:
        async with sessions() as session, session.begin():
            await service.record_failure(session, claim, f"refused: {exc}")
        raise service.refused(exc) from exc
    async with sessions() as session, session.begin():
        if failure is not None:
            await service.record_failure(session, claim, failure)
            claim = await service.get_claim(session, principal, claim_id)
            out = ClaimVerification(claim=ClaimOut.model_validate(claim), verified=False, reason=failure)
        else:
            claim, things = await service.complete_claim(session, claim_id)
            out = ClaimVerification(claim=ClaimOut.model_validate(claim), verified=True, claimed_thing_ids=things)
    return out


@router.post(
    "/{claim_id}/approve", response_model=ClaimVerification, responses=problem_responses(401, 403, 404, 409, 422)
)
async def approve_claim(
    claim_id: str, payload: ClaimApproval, principal: Operator, sessions: Sessions
) -> ClaimVerification:
    """Operators: verify a claim by other means than the token (``verified_by`` ``operator``), with the
    same effect and the same refusals as a verification by proof."""
    async with sessions() as session, session.begin():
        await service.get_claim(session, principal, claim_id)
        claim, things = await service.complete_claim(session, claim_id, by="operator")
        service.log_approval(claim, principal.subject, payload.reason)
        out = ClaimVerification(claim=ClaimOut.model_validate(claim), verified=True, claimed_thing_ids=things)
    return out
