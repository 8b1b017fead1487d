"""HTTP API of sign-in: thin, the logic lives in sign_in.service. Every endpoint here is anonymous."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit.dependencies import Sessions
from trickle_kit.idempotency import IdempotencyKey, create_once
from trickle_kit.problems import input_from, problem_responses
from trickle_wallet.accounts.schemas import Account
from trickle_wallet.deps import AppSettings
from trickle_wallet.sign_in import service
from trickle_wallet.sign_in.schemas import (
    EmailAddressed,
    EmailVerificationCreate,
    EmailVerified,
    MailAccepted,
    PasswordChanged,
    PasswordResetComplete,
    PersonCreate,
    PersonRegistered,
)

router = APIRouter(tags=["sign-in"])
MAIL_ACCEPTED = MailAccepted(detail="If this address belongs to an account, a mail with a link is on its way")


def _client_scope(request: Request) -> str:
    # Anonymous: idempotency keys are scoped to the caller's address.
    return f"anonymous:{request.client.host if request.client else 'unknown'}"


@router.post(
    "/v1/people",
    status_code=201,
    response_model=PersonRegistered,
    responses=problem_responses(400, 409, 413, 422, 429),
)
async def register_person(
    request: Request, payload: PersonCreate, settings: AppSettings, idempotency_key: IdempotencyKey = None
) -> Response:
    """Sign up (no token needed): a person's account with an email and a password. A mail with a link to
    confirm the address is sent; signing in works once it is confirmed. 409 ``email_taken`` if the address
    has an account; 422 names the field of a weak password (10 to 128 characters, not the email) or a bad
    address."""

    async def create(session: AsyncSession) -> tuple[PersonRegistered, str]:
        with input_from("body"):
            account, credential = await service.register_person(
                session, settings, email=payload.email, password=payload.password, display_name=payload.display_name
            )
        out = PersonRegistered(
            account=Account.model_validate(account),
            email=credential.email,
            email_verified=credential.email_verified_at is not None,
        )
        return out, f"/v1/accounts/{account.id}"

    response, _ = await create_once(
        request,
        key=idempotency_key,
        scope=_client_scope(request),
        # The password stays out of the stored request fingerprint (a fast hash of it would undo argon2).
        body=payload.model_copy(update={"password": ""}),
        create=create,
    )
    return response


@router.post(
    "/v1/email-verifications",
    response_model=EmailVerified,
    responses=problem_responses(400, 413, 422, 429),
)
async def verify_email(payload: EmailVerificationCreate, sessions: Sessions) -> EmailVerified:
    """Confirm an email address with the token of the link in the verification mail (no token needed).
    400 ``verification_token_invalid`` (unknown or used) or ``verification_token_expired``."""
    async with sessions() as session, session.begin():
        credential = await service.verify_email(session, payload.token)
    return EmailVerified(account_id=credential.account_id, email=credential.email, email_verified=True)


@router.post(
    "/v1/email-verifications/resend",
    status_code=202,
    response_model=MailAccepted,
    responses=problem_responses(400, 413, 422, 429),
)
async def resend_email_verification(payload: EmailAddressed, sessions: Sessions, settings: AppSettings) -> MailAccepted:
    """Send a new verification link to an address not confirmed yet (no token needed). The answer is the same
    whether or not the address has an account."""
    async with sessions() as session, session.begin():
        await service.resend_verification(session, settings, payload.email)
    return MAIL_ACCEPTED


@router.post(
    "/v1/password-resets",
    status_code=202,
    response_model=MailAccepted,
    responses=problem_responses(400, 413, 422, 429),
)
async def request_password_reset(payload: EmailAddressed, sessions: Sessions, settings: AppSettings) -> MailAccepted:
    """Mail a link to choose a new password (no token needed). The answer is the same whether or not the
    address has an account."""
    async with sessions() as session, session.begin():
        await service.request_password_reset(session, settings, payload.email)
    return MAIL_ACCEPTED


@router.post(
    "/v1/password-resets/complete",
    response_model=PasswordChanged,
    responses=problem_responses(400, 413, 422, 429),
)
async def complete_password_reset(
    payload: PasswordResetComplete, sessions: Sessions, settings: AppSettings
) -> PasswordChanged:
    """Choose a new password with the token of the reset mail's link (no token needed). The link works once;
    the account's sign-in sessions end. 400 ``reset_token_invalid`` or ``reset_token_expired``; 422 for a weak
    password."""
    async with sessions() as session, session.begin():
        with input_from("body"):
            credential = await service.complete_password_reset(
                session, settings, token=payload.token, password=payload.password
            )
    return PasswordChanged(account_id=credential.account_id, email=credential.email, email_verified=True)
