"""The authorization server's flows: load what Authlib will ask for, let it decide, write what it decided.

Each flow runs inside the caller's transaction. A refusal is returned (``Refused``), not raised, so
that what a refused request must still change is committed: a replayed code or a reused refresh
token ends its grant even though the request itself fails.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urljoin

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.base import invalid_error_characters
from authlib.oauth2.rfc6749.util import extract_basic_authorization
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit.auth import ACCOUNT_SCOPES, AUTHORIZATION_URL, SCOPES, TOKEN_URL, Principal
from trickle_kit.envelope import utcnow
from trickle_kit.problems import ProblemError
from trickle_wallet.accounts.models import Account
from trickle_wallet.credentials.service import active_signing_key, hash_secret
from trickle_wallet.oauth import grants, repository
from trickle_wallet.oauth.clients import FIRST_PARTY, FIRST_PARTY_CLIENT_ID, AppClient, find_client
from trickle_wallet.oauth.models import OAuthAuthorizationCode, OAuthGrant, OAuthRefreshToken
from trickle_wallet.oauth.server import CodeView, Loaded, ParsedRequest, RefreshView, TrickleAuthorizationServer
from trickle_wallet.settings import Settings

REVOCATION_URL = "/v1/oauth/revoke"
AUTHORIZATION_REQUESTS_URL = "/v1/oauth/authorization-requests"
Pairs = Iterable[tuple[str, str]]

TITLES = {
    "invalid_request": "Bad authorization request",
    "invalid_client": "Client authentication failed",
    "invalid_grant": "Invalid grant",
    "unauthorized_client": "Client not allowed",
    "unsupported_grant_type": "Unsupported grant type",
    "unsupported_response_type": "Unsupported response type",
    "unsupported_token_type": "Unsupported token type",
    "invalid_scope": "Invalid scope",
    "access_denied": "Access denied",
}


def problem_of(error: OAuth2Error | dict[str, Any], status: int | None = None) -> ProblemError:
    """Authlib's OAuth error as our problem+json, its RFC 6749 error code as the stable ``code``."""
    if isinstance(error, OAuth2Error):
        code, detail, status = str(error.error), error.description or None, status or int(error.status_code)
    else:
        code, detail = str(error.get("error", "invalid_request")), error.get("error_description")
    headers = {"WWW-Authenticate": 'Basic realm="trickle"'} if status == 401 else None
    return ProblemError(status or 400, code, TITLES.get(code, "OAuth error"), detail, headers=headers)


@dataclass(frozen=True)
class Refused:
    problem: ProblemError


def _url(settings: Settings, path: str) -> str:
    # Authlib refuses plain-http URLs except to loopback; TLS ends at the gateway, whose public
    # address is the issuer, so that is the URL a request came to.
    return urljoin(settings.oauth_issuer.rstrip("/") + "/", path.lstrip("/"))


def _client_id_of(headers: Mapping[str, str], data: Mapping[str, str]) -> str | None:
    basic_id, _ = extract_basic_authorization(headers)
    return basic_id or data.get("client_id")


def _unreadable(pairs: list[tuple[str, str]]) -> ProblemError | None:
    """A parameter with characters RFC 6749 keeps out of its messages (control characters, quotes,
    backslashes: never in a valid client id, URI, scope or code) would not even make an error with
    Authlib; refused here. ``state`` may hold any visible ASCII character (RFC 6749 appendix A.5)."""
    for key, value in pairs:
        bad = (
            [c for c in value if not " " <= c <= "~"] if key == "state" else invalid_error_characters(value)
        ) or invalid_error_characters(key)
        if bad:
            return ProblemError(
                400, "invalid_request", TITLES["invalid_request"], f"The parameter {key[:40]!r} has invalid characters"
            )
    return None


def _first(pairs: list[tuple[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in pairs:
        out.setdefault(k, v)
    return out


# ---- the consent API ----


@dataclass(frozen=True)
class ValidRequest:
    client: AppClient
    redirect_uri: str
    scopes: list[str]
    app_state: str | None


async def _consent_grant(
    session: AsyncSession, settings: Settings, pairs: list[tuple[str, str]], user: str | None
) -> tuple[TrickleAuthorizationServer, ParsedRequest, Any]:
    if (unreadable := _unreadable(pairs)) is not None:
        raise unreadable
    data = _first(pairs)
    loaded = Loaded(client=await find_client(session, data.get("client_id")), now=utcnow())
    server = TrickleAuthorizationServer(settings, loaded)
    request = ParsedRequest("GET", _url(settings, AUTHORIZATION_REQUESTS_URL), {}, pairs)
    try:
        grant = server.get_consent_grant(request, end_user=user)
    except OAuth2Error as error:
        # Never a redirect: the consent page shows the problem (the redirect URI may be unverified).
        raise problem_of(error, 400 if error.status_code == 401 else None) from error
    return server, request, grant


async def check_authorization_request(
    session: AsyncSession, settings: Settings, pairs: list[tuple[str, str]]
) -> ValidRequest:
    """The request an app sent the person's browser with, validated (client, exact redirect URI, scopes,
    response_type=code, PKCE S256); a 400 problem naming what is wrong otherwise."""
    _, request, grant = await _consent_grant(session, settings, pairs, None)
    client: AppClient = request.client
    return ValidRequest(
        client=client, redirect_uri=grant.redirect_uri, scopes=request.scope.split(), app_state=request.payload.state
    )


async def decide(
    session: AsyncSession, settings: Settings, principal: Principal, pairs: list[tuple[str, str]], approve: bool
) -> str:
    """The person's decision on a valid request: where to send the browser (code + state, or access_denied)."""
    if principal.client_id != FIRST_PARTY_CLIENT_ID or principal.account_id is None:
        raise ProblemError(
            403,
            "first_party_session_required",
            "Forbidden",
            "Only a person signed in to Trickle itself may approve an app (an app cannot approve itself)",
        )
    account_id = principal.account_id
    server, request, grant = await _consent_grant(session, settings, pairs, account_id)
    missing = [s for s in request.scope.split() if not principal.has(s)]
    if missing:
        raise ProblemError(403, "insufficient_scope", "Forbidden", f"Your session lacks: {' '.join(missing)}")
    status, _, headers = server.create_authorization_response(request, account_id if approve else None, grant)
    location = dict(headers).get("Location") if status == 302 else None
    if location is None:
        raise ProblemError(400, "invalid_request", "Bad authorization request", "The request cannot be answered")
    code = server.outcome.new_code
    if approve and code is not None:
        data = request.payload.data
        now = utcnow()
        session.add(
            OAuthAuthorizationCode(
                code_hash=hash_secret(code),
                client_id=request.client.get_client_id(),
                account_id=account_id,
                redirect_uri=request.payload.redirect_uri,
                scopes=request.scope.split(),
                code_challenge=data["code_challenge"],
                code_challenge_method=data["code_challenge_method"],
                created_at=now,
                expires_at=now + timedelta(seconds=settings.oauth_code_ttl_s),
            )
        )
        await session.flush()
    return str(location)


def describe(scopes: Iterable[str]) -> list[tuple[str, str]]:
    return [(s, SCOPES.get(s, s)) for s in scopes]


# ---- the token endpoint (authorization_code, refresh_token) ----


@dataclass(frozen=True)
class Issued:
    body: dict[str, Any]


async def exchange(
    session: AsyncSession, settings: Settings, headers: Mapping[str, str], pairs: list[tuple[str, str]]
) -> Issued | Refused:
    """A token request of the authorization_code or refresh_token grant, validated by Authlib."""
    if (unreadable := _unreadable(pairs)) is not None:
        return Refused(unreadable)
    data = _first(pairs)
    now = utcnow()
    loaded = Loaded(client=await find_client(session, _client_id_of(headers, data)), now=now)
    grant_type = data.get("grant_type")
    # The account first, held FOR SHARE, then the code or token rows: the order a suspension or deletion takes
    # (the account, then its codes and grants), so the two wait for each other instead of deadlocking.
    holder = await _holder_of(session, grant_type, data)
    if holder is not None:
        await _active_and_held(session, holder)
    # A spent code or a rotated refresh token is loaded too: Authlib refuses it, and once the client has
    # authenticated as the one it was issued to, its grant ends (outcome.replayed_grant_id).
    if grant_type == "authorization_code" and data.get("code"):
        code = await repository.code_by_hash(session, hash_secret(data["code"]))
        if code is not None:
            loaded.code = CodeView(code)
    elif grant_type == "refresh_token" and data.get("refresh_token"):
        loaded.refresh = await _refresh_view(session, data["refresh_token"], now)
    if loaded.client is not None:
        loaded.signing_key = await active_signing_key(session)
    server = TrickleAuthorizationServer(settings, loaded)
    request = ParsedRequest("POST", _url(settings, TOKEN_URL), headers, pairs)
    status, body, _ = server.create_token_response(request)
    if server.outcome.replayed_grant_id is not None:
        reason = "code_replayed" if grant_type == "authorization_code" else "refresh_token_reused"
        await grants.revoke(session, server.outcome.replayed_grant_id, reason)
    if status != 200:
        return Refused(problem_of(dict(body), status))
    token = server.outcome.tokens[0]
    used, rotated = server.outcome.used_code, server.outcome.rotated
    holder = used.row.account_id if used is not None else rotated.grant.account_id if rotated is not None else None
    if holder is not None and not await _active_and_held(session, holder):
        return Refused(problem_of({"error": "invalid_grant", "error_description": "The account is not active"}))
    if used is not None:
        grant = await grants.start(
            session, account_id=used.row.account_id, client_id=used.row.client_id, scopes=used.row.scopes
        )
        used.row.used_at, used.row.grant_id = now, grant.id
        await grants.keep_refresh_token(session, settings, grant, token["refresh_token"], used.row.scopes)
    elif rotated is not None:
        rotated.row.rotated_at = now
        # The new token keeps the old one's scope (RFC 6749 section 6), whatever this access token narrowed to.
        await grants.keep_refresh_token(session, settings, rotated.grant, token["refresh_token"], rotated.row.scopes)
    return Issued(body=dict(token))


async def _holder_of(session: AsyncSession, grant_type: str | None, data: Mapping[str, str]) -> str | None:
    """The account the request's code or refresh token belongs to (read without locking), if any."""
    if grant_type == "authorization_code" and data.get("code"):
        stmt = select(OAuthAuthorizationCode.account_id).where(
            OAuthAuthorizationCode.code_hash == hash_secret(data["code"])
        )
    elif grant_type == "refresh_token" and data.get("refresh_token"):
        stmt = (
            select(OAuthGrant.account_id)
            .join(OAuthRefreshToken, OAuthRefreshToken.grant_id == OAuthGrant.id)
            .where(OAuthRefreshToken.token_hash == hash_secret(data["refresh_token"]))
        )
    else:
        return None
    return (await session.execute(stmt)).scalar_one_or_none()


async def _active_and_held(session: AsyncSession, account_id: str) -> bool:
    """Whether the account is neither suspended nor deleted, its row held (FOR SHARE) until the caller commits:
    a suspension or deletion in flight is waited for, and one coming next ends the grant written here."""
    account = (
        await session.execute(select(Account).where(Account.id == account_id).with_for_update(read=True))
    ).scalar_one_or_none()
    return account is not None and not account.suspended and account.deleted_at is None


async def _refresh_view(session: AsyncSession, token: str, now: Any) -> RefreshView | None:
    row = await repository.refresh_token_by_hash(session, hash_secret(token))
    if row is None:
        return None
    grant = await repository.get_grant(session, row.grant_id, for_update=True)
    return RefreshView(row, grant, now) if grant is not None else None


# ---- revocation (RFC 7009) ----


async def revoke(
    session: AsyncSession, settings: Settings, headers: Mapping[str, str], pairs: list[tuple[str, str]]
) -> Refused | None:
    """Revoke a refresh token and so its whole grant (sign-out). An unknown token is no error."""
    if (unreadable := _unreadable(pairs)) is not None:
        return Refused(unreadable)
    data = _first(pairs)
    loaded = Loaded(client=await find_client(session, _client_id_of(headers, data)), now=utcnow())
    if data.get("token"):
        loaded.refresh = await _refresh_view(session, data["token"], loaded.now)
    hint = data.get("token_type_hint")
    if hint is not None and (loaded.refresh is not None or hint != "access_token"):
        # A hint is only a hint (RFC 7009 section 2.1): a refresh token found is revoked whatever it said, and
        # a hint of no known type is ignored. Only an access token (self-contained) is unsupported.
        pairs = [(k, v) for k, v in pairs if k != "token_type_hint"]
    server = TrickleAuthorizationServer(settings, loaded)
    request = ParsedRequest("POST", _url(settings, REVOCATION_URL), headers, pairs)
    status, body, _ = server.create_endpoint_response("revocation", request)
    if status != 200:
        refused = dict(body)
        # Authlib answers unsupported_token_type with 401; RFC 7009 (RFC 6749 section 5.2) says 400.
        return Refused(problem_of(refused, 400 if refused.get("error") == "unsupported_token_type" else status))
    if server.outcome.revoked is not None:
        await grants.revoke(session, server.outcome.revoked.grant.id, "revoked")
    return None


# ---- sign-in: a grant of trickle-web ----


async def start_session(session: AsyncSession, settings: Settings, account_id: str) -> dict[str, Any]:
    """Tokens of a new trickle-web grant for an account whose person just proved who they are (403
    ``account_suspended`` if a suspension or deletion committed meanwhile)."""
    if not await _active_and_held(session, account_id):
        raise ProblemError(403, "account_suspended", "Account suspended", "This account is suspended by an operator")
    loaded = Loaded(client=FIRST_PARTY, signing_key=await active_signing_key(session), now=utcnow())
    server = TrickleAuthorizationServer(settings, loaded)
    scope = " ".join(FIRST_PARTY.scopes)
    token: dict[str, Any] = server.generate_token(
        grant_type="session", client=FIRST_PARTY, user=account_id, scope=scope, include_refresh_token=True
    )
    grant = await grants.start(
        session, account_id=account_id, client_id=FIRST_PARTY_CLIENT_ID, scopes=FIRST_PARTY.scopes
    )
    await grants.keep_refresh_token(session, settings, grant, token["refresh_token"], FIRST_PARTY.scopes)
    return token


# ---- RFC 8414 ----


def server_metadata(settings: Settings) -> AuthorizationServerMetadata:
    metadata = AuthorizationServerMetadata(
        issuer=settings.oauth_issuer,
        authorization_endpoint=_url(settings, AUTHORIZATION_URL),
        token_endpoint=_url(settings, TOKEN_URL),
        revocation_endpoint=_url(settings, REVOCATION_URL),
        jwks_uri=_url(settings, "/v1/.well-known/jwks.json"),
        scopes_supported=list(ACCOUNT_SCOPES),
        response_types_supported=["code"],
        response_modes_supported=["query"],
        grant_types_supported=["authorization_code", "refresh_token", "client_credentials"],
        token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post", "none"],
        revocation_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post", "none"],
        code_challenge_methods_supported=["S256"],
    )
    return metadata
