"""HTTP API of credentials: API keys, the OAuth2 token endpoint, the JWKS and key rotation."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated
from urllib.parse import unquote

from fastapi import APIRouter, Form, Path, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit.auth import TOKEN_URL
from trickle_kit.dependencies import Sessions
from trickle_kit.idempotency import IdempotencyKey, create_once, json_response, without_secret
from trickle_kit.pagination import Pagination, cursor_of, paginate
from trickle_kit.problems import ProblemError, problem_responses
from trickle_wallet.accounts.service import ensure_not_deleted, get_account_for
from trickle_wallet.credentials import repository, service
from trickle_wallet.credentials.models import ApiKey as ApiKeyRow
from trickle_wallet.credentials.schemas import (
    AccessToken,
    ApiKey,
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyList,
    JwkSet,
    SigningKeyInfo,
    SigningKeyRotation,
)
from trickle_wallet.deps import AccountsRead, AccountsWrite, AppSettings, Operator
from trickle_wallet.oauth import clients as oauth_clients
from trickle_wallet.oauth import flows as oauth_flows
from trickle_wallet.oauth.errors import oauth_problem_response

router = APIRouter(tags=["credentials"])
AccountId = Annotated[str, Path(max_length=40, description="An account id")]
KeyId = Annotated[str, Path(max_length=40, description="An API key id", examples=["key_0190c0ffee…"])]
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
# Grants of the authorization server (oauth/): an app acting for a person.
OAUTH_GRANT_TYPES = frozenset({"authorization_code", "refresh_token"})


@router.post(
    "/v1/accounts/{account_id}/api-keys",
    status_code=201,
    response_model=ApiKeyCreated,
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422, 429),
)
async def create_api_key(
    request: Request,
    account_id: AccountId,
    payload: ApiKeyCreate,
    principal: AccountsWrite,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """A new API key; its secret is in this response only (a replay shows it as null). 403
    ``first_party_session_required`` with an app's token."""
    oauth_clients.refuse_apps(principal, "create API keys")

    async def create(session: AsyncSession) -> tuple[ApiKeyCreated, str]:
        ensure_not_deleted(await get_account_for(session, principal, account_id))
        new = await service.create_api_key(
            session, account_id, name=payload.name, scopes=payload.scopes, granted_by=principal
        )
        out = ApiKeyCreated(**ApiKey.model_validate(new.key).model_dump(), secret=new.secret)
        return out, f"/v1/accounts/{account_id}/api-keys/{out.id}"

    response, _ = await create_once(
        request, key=idempotency_key, scope=principal.subject, body=payload, create=create, redact=without_secret
    )
    return response


@router.get(
    "/v1/accounts/{account_id}/api-keys",
    response_model=ApiKeyList,
    responses=problem_responses(401, 403, 404, 422, 429),
)
async def list_api_keys(
    account_id: AccountId, page: Pagination, principal: AccountsRead, sessions: Sessions
) -> ApiKeyList:
    async with sessions() as session:
        await get_account_for(session, principal, account_id)
        rows, has_more = await paginate(session, repository.api_keys_of(account_id), ApiKeyRow.id, page)
    return ApiKeyList(
        data=[ApiKey.model_validate(r) for r in rows], has_more=has_more, next_starting_after=cursor_of(rows, has_more)
    )


@router.delete(
    "/v1/accounts/{account_id}/api-keys/{key_id}",
    response_model=ApiKey,
    responses=problem_responses(401, 403, 404, 429),
)
async def revoke_api_key(account_id: AccountId, key_id: KeyId, principal: AccountsWrite, sessions: Sessions) -> ApiKey:
    """Revoke a key: it can no longer get tokens (tokens already issued expire on their own)."""
    async with sessions() as session, session.begin():
        await get_account_for(session, principal, account_id)
        key = await service.revoke_api_key(session, account_id, key_id)
    return ApiKey.model_validate(key)


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        raise service.invalid_client("Use HTTP Basic or client_id/client_secret form fields")
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise service.invalid_client("Malformed Basic credentials") from exc
    client_id, sep, client_secret = decoded.partition(":")
    if not sep:
        raise service.invalid_client("Malformed Basic credentials")
    # RFC 6749 section 2.3.1: both halves are form-urlencoded before encoding.
    return unquote(client_id), unquote(client_secret)


FormField = Annotated[str | None, Form(max_length=512)]


@router.post(
    TOKEN_URL,
    response_model=AccessToken,
    responses=problem_responses(400, 401, 413, 422, 429),
    tags=["credentials"],
)
async def create_token(
    request: Request,
    sessions: Sessions,
    settings: AppSettings,
    grant_type: FormField = None,
    client_id: FormField = None,
    client_secret: FormField = None,
    scope: FormField = None,
    code: FormField = None,
    redirect_uri: Annotated[str | None, Form(max_length=2000)] = None,
    code_verifier: FormField = None,
    refresh_token: FormField = None,
) -> Response:
    """OAuth2 token endpoint. client_credentials: an API key (or the operator credential) for a short-lived
    access token. authorization_code (with the PKCE code_verifier) and refresh_token (rotated: the answer
    carries a new one, the old one is spent): an app's tokens for the account that authorized it. A refusal
    is problem+json with RFC 6749's ``error`` (= ``code``) and ``error_description`` too."""
    try:
        return await _token_answer(request, sessions, settings, grant_type, client_id, client_secret, scope)
    except ProblemError as exc:
        return oauth_problem_response(request, exc)


async def _token_answer(
    request: Request,
    sessions: Sessions,
    settings: AppSettings,
    grant_type: str | None,
    client_id: str | None,
    client_secret: str | None,
    scope: str | None,
) -> Response:
    if grant_type in OAUTH_GRANT_TYPES:
        form = await request.form()
        pairs = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
        async with sessions() as session, session.begin():
            outcome = await oauth_flows.exchange(session, settings, request.headers, pairs)
        if isinstance(outcome, oauth_flows.Refused):
            raise outcome.problem
        issued = AccessToken.model_validate(outcome.body)
        return json_response(issued.model_dump(mode="json", exclude_none=True), 200, NO_STORE)
    if grant_type != "client_credentials":
        code = "invalid_request" if grant_type is None else "unsupported_grant_type"
        raise ProblemError(
            400, code, "Bad token request", "grant_type must be client_credentials, authorization_code or refresh_token"
        )
    basic = _basic_credentials(request)
    if basic is not None:
        if client_id is not None and client_id != basic[0]:
            raise ProblemError(400, "invalid_request", "Bad token request", "Two different client ids given")
        client_id, client_secret = basic
    if not client_id or not client_secret:
        raise service.invalid_client("client_id and client_secret are required")
    async with sessions() as session, session.begin():
        token, scopes = await service.issue_token(
            session, settings, client_id=client_id, client_secret=client_secret, scope=scope
        )
    out = AccessToken(access_token=token, expires_in=settings.access_token_ttl_s, scope=" ".join(scopes))
    return json_response(out.model_dump(mode="json", exclude_none=True), 200, NO_STORE)


@router.get("/v1/.well-known/jwks.json", response_model=JwkSet, responses=problem_responses(429))
async def get_jwks(response: Response, sessions: Sessions, settings: AppSettings) -> JwkSet:
    """The public keys that verify access tokens (the current one and recently retired ones)."""
    async with sessions() as session, session.begin():
        document = await service.jwks(session, settings)
    response.headers["Cache-Control"] = "public, max-age=60"
    return JwkSet.model_validate(document)


@router.post("/v1/signing-keys/rotate", response_model=SigningKeyRotation, responses=problem_responses(401, 403, 429))
async def rotate_signing_key(principal: Operator, sessions: Sessions) -> SigningKeyRotation:
    """Operators only: sign new tokens with a new key; the old one stays published until its tokens expire."""
    async with sessions() as session, session.begin():
        new, old = await service.rotate_signing_key(session)
    return SigningKeyRotation(
        active=SigningKeyInfo.model_validate(new), retired=SigningKeyInfo.model_validate(old) if old else None
    )
