"""HTTP API of the authorization server: client apps, the consent API, revocation, server metadata,
sign-in sessions and the apps an account authorized. The token endpoint is credentials' (one URL)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit.dependencies import Sessions
from trickle_kit.idempotency import IdempotencyKey, create_once, json_response
from trickle_kit.pagination import Pagination, cursor_of, paginate
from trickle_kit.problems import input_from, problem_responses
from trickle_wallet.accounts.service import ensure_active, ensure_not_deleted, get_account_for
from trickle_wallet.deps import AccountsRead, AccountsWrite, AppSettings
from trickle_wallet.oauth import clients, flows, grants, repository
from trickle_wallet.oauth.errors import oauth_problem_response
from trickle_wallet.oauth.models import OAuthClient as OAuthClientRow
from trickle_wallet.oauth.schemas import (
    AuthorizationDecision,
    AuthorizationRedirect,
    AuthorizationRequestInfo,
    AuthorizedApp,
    AuthorizedAppList,
    OAuthClient,
    OAuthClientCreate,
    OAuthClientCreated,
    OAuthClientList,
    RevocationRequest,
    ScopeDescription,
    ServerMetadata,
    SessionCreate,
    SessionTokens,
)
from trickle_wallet.sign_in.service import authenticate

router = APIRouter(tags=["oauth"])
AccountId = Annotated[str, Path(max_length=40, description="An account id")]
ClientId = Annotated[str, Path(max_length=40, description="A client app's id", examples=["app_0190c0ffee…"])]
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
QueryText = Annotated[str | None, Query(max_length=2000)]


def _client_out(row: OAuthClientRow) -> OAuthClient:
    return OAuthClient(
        client_id=row.id,
        account_id=row.account_id,
        name=row.name,
        client_type=row.client_type,
        redirect_uris=row.redirect_uris,
        scopes=row.scopes,
        secret_hint=row.secret_hint,
        created_at=row.created_at,
    )


def _scopes(scopes: list[str]) -> list[ScopeDescription]:
    return [ScopeDescription(scope=s, description=d) for s, d in flows.describe(scopes)]


@router.post(
    "/v1/oauth/clients",
    status_code=201,
    response_model=OAuthClientCreated,
    responses=problem_responses(400, 401, 403, 409, 413, 422, 429),
)
async def create_oauth_client(
    request: Request, payload: OAuthClientCreate, principal: AccountsWrite, idempotency_key: IdempotencyKey = None
) -> Response:
    """Register an app of your account. A confidential app's ``client_secret`` is in this response only.
    403 ``first_party_session_required`` with an app's token."""
    account_id = principal.own_account()
    clients.refuse_apps(principal, "register apps")

    async def create(session: AsyncSession) -> tuple[OAuthClientCreated, str]:
        ensure_not_deleted(await get_account_for(session, principal, account_id))
        with input_from("body"):
            new = await clients.register(
                session,
                account_id,
                name=payload.name,
                client_type=payload.client_type,
                redirect_uris=payload.redirect_uris,
                scopes=payload.scopes,
            )
        out = OAuthClientCreated(**_client_out(new.client).model_dump(), client_secret=new.secret)
        return out, f"/v1/oauth/clients/{out.client_id}"

    response, _ = await create_once(
        request,
        key=idempotency_key,
        scope=principal.subject,
        body=payload,
        create=create,
        redact=lambda r: r.model_copy(update={"client_secret": None}),
    )
    return response


@router.get("/v1/oauth/clients", response_model=OAuthClientList, responses=problem_responses(401, 403, 422, 429))
async def list_oauth_clients(page: Pagination, principal: AccountsRead, sessions: Sessions) -> OAuthClientList:
    """The apps your account registered."""
    account_id = principal.own_account()
    async with sessions() as session:
        rows, has_more = await paginate(session, repository.clients_of(account_id), OAuthClientRow.id, page)
    return OAuthClientList(
        data=[_client_out(r) for r in rows], has_more=has_more, next_starting_after=cursor_of(rows, has_more)
    )


@router.delete(
    "/v1/oauth/clients/{client_id}", response_model=OAuthClient, responses=problem_responses(401, 403, 404, 429)
)
async def delete_oauth_client(client_id: ClientId, principal: AccountsWrite, sessions: Sessions) -> OAuthClient:
    """Delete an app of yours: it gets no new tokens and every authorization of it ends."""
    account_id = principal.own_account()
    async with sessions() as session, session.begin():
        row = await clients.delete(session, account_id, client_id)
    return _client_out(row)


@router.get(
    "/v1/oauth/authorization-requests",
    response_model=AuthorizationRequestInfo,
    responses=problem_responses(400, 422, 429),
)
async def get_authorization_request(
    request: Request,
    sessions: Sessions,
    settings: AppSettings,
    response_type: QueryText = None,
    client_id: QueryText = None,
    redirect_uri: QueryText = None,
    scope: QueryText = None,
    code_challenge: QueryText = None,
    code_challenge_method: QueryText = None,
    request_state: Annotated[str | None, Query(alias="state", max_length=2000)] = None,
) -> AuthorizationRequestInfo:
    """Check an app's authorization request (the query it sent the browser with) for the consent page:
    the app, the exact redirect URI and the scopes in words; a 400 problem naming what is wrong (no redirect)."""
    async with sessions() as session:
        valid = await flows.check_authorization_request(session, settings, request.query_params.multi_items())
    return AuthorizationRequestInfo(
        client_id=valid.client.client_id,
        client_name=valid.client.name,
        redirect_uri=valid.redirect_uri,
        scopes=_scopes(valid.scopes),
        state=valid.app_state,
    )


@router.post(
    "/v1/oauth/authorizations",
    response_model=AuthorizationRedirect,
    responses=problem_responses(400, 401, 403, 409, 413, 422, 429),
)
async def decide_authorization(
    payload: AuthorizationDecision, principal: AccountsWrite, sessions: Sessions, settings: AppSettings
) -> AuthorizationRedirect:
    """The person's decision on an app's request, with their Trickle session's token (never an app's):
    where to send the browser, the redirect URI with a single-use ``code`` and ``state``, or
    ``error=access_denied``."""
    pairs = [(k, v) for k, v in payload.model_dump(exclude={"decision"}, exclude_none=True).items()]
    async with sessions() as session, session.begin():
        # A suspended or deleted account authorizes nothing (its sessions' access tokens live a few minutes more).
        ensure_active(await get_account_for(session, principal, principal.own_account()))
        location = await flows.decide(session, settings, principal, pairs, approve=payload.decision == "approve")
    return AuthorizationRedirect(redirect_to=location)


@router.post(
    "/v1/oauth/revoke",
    responses={200: {"description": "Revoked, or no such token"}, **problem_responses(400, 401, 413, 422, 429)},
)
async def revoke_token(
    request: Request,
    sessions: Sessions,
    settings: AppSettings,
    payload: Annotated[RevocationRequest, Form()],
) -> Response:
    """RFC 7009: revoke a refresh token, which ends its grant (signing out ends the session). 200 for an
    unknown token too."""
    form = await request.form()
    pairs = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    async with sessions() as session, session.begin():
        refused = await flows.revoke(session, settings, request.headers, pairs)
    if refused is not None:
        return oauth_problem_response(request, refused.problem)
    return json_response({}, 200, NO_STORE)


@router.get(
    "/.well-known/oauth-authorization-server",
    response_model=ServerMetadata,
    responses=problem_responses(429),
)
async def get_authorization_server_metadata(settings: AppSettings) -> ServerMetadata:
    """OAuth 2.0 authorization server metadata (RFC 8414)."""
    return ServerMetadata.model_validate(dict(flows.server_metadata(settings)))


@router.post(
    "/v1/sessions",
    status_code=201,
    response_model=SessionTokens,
    responses=problem_responses(400, 401, 403, 413, 422, 429),
)
async def create_session(
    request: Request, payload: SessionCreate, sessions: Sessions, settings: AppSettings
) -> Response:
    """Sign in with email and password: tokens of a new session (a grant of the first-party client
    ``trickle-web``, every account scope)."""
    address = request.client.host if request.client else "unknown"
    async with sessions() as session, session.begin():
        account_id = await authenticate(
            session, settings, email=str(payload.email), password=payload.password, client_address=address
        )
        token = await flows.start_session(session, settings, account_id)
    out = SessionTokens(
        account_id=account_id,
        access_token=token["access_token"],
        expires_in=token["expires_in"],
        refresh_token=token["refresh_token"],
        scope=token["scope"],
    )
    return json_response(out.model_dump(mode="json"), 201, NO_STORE)


@router.get(
    "/v1/accounts/{account_id}/authorized-apps",
    response_model=AuthorizedAppList,
    responses=problem_responses(401, 403, 404, 422, 429),
)
async def list_authorized_apps(
    account_id: AccountId, page: Pagination, principal: AccountsRead, sessions: Sessions
) -> AuthorizedAppList:
    """The third-party apps the account authorized and has not revoked."""
    async with sessions() as session:
        await get_account_for(session, principal, account_id)
        apps = await grants.authorized_apps(session, account_id)
    after = [a for a in apps if page.starting_after is None or a.client_id > page.starting_after]
    shown = after[: page.limit]
    has_more = len(after) > page.limit
    return AuthorizedAppList(
        data=[
            AuthorizedApp(
                client_id=a.client_id,
                client_name=a.client_name,
                scopes=_scopes(a.scopes),
                authorized_at=a.authorized_at,
                last_used_at=a.last_used_at,
            )
            for a in shown
        ],
        has_more=has_more,
        next_starting_after=shown[-1].client_id if has_more and shown else None,
    )


@router.delete(
    "/v1/accounts/{account_id}/authorized-apps/{client_id}",
    status_code=204,
    responses=problem_responses(401, 403, 404, 429),
)
async def revoke_authorized_app(
    account_id: AccountId, client_id: ClientId, principal: AccountsWrite, sessions: Sessions
) -> Response:
    """Revoke an app's access: every grant of the account to it ends, with its refresh tokens."""
    async with sessions() as session, session.begin():
        await get_account_for(session, principal, account_id)
        await grants.revoke_app(session, account_id, client_id)
    return Response(status_code=204)
