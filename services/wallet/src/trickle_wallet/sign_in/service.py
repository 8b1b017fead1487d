"""Sign-in: sign-up with email + password, email verification, password resets, and ``authenticate``.

Nothing here tells whether an address has an account, except ``email_taken`` on sign-up (the address cannot be
registered twice, and saying so is the only honest answer): resends and reset requests answer alike, and a
sign-in with an unknown address verifies a dummy hash so it takes as long as one with a wrong password.
"""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit.envelope import utcnow
from trickle_kit.problems import ProblemError, conflict
from trickle_wallet.accounts import service as accounts
from trickle_wallet.accounts.models import Account
from trickle_wallet.mail.models import OutgoingMail
from trickle_wallet.mail.queue import queue_mail
from trickle_wallet.oauth.grants import revoke_all_for_account
from trickle_wallet.settings import Settings
from trickle_wallet.sign_in import attempts, passwords, repository
from trickle_wallet.sign_in.emails import email_key, normalise_email
from trickle_wallet.sign_in.messages import password_reset_mail, verification_mail
from trickle_wallet.sign_in.models import SignInCredential, SignInToken
from trickle_wallet.sign_in.tokens import issue_token, issued_since, redeem_token, retire_tokens


def _email_taken() -> ProblemError:
    return conflict("email_taken", "An account with this email already exists")


async def _mail_verification_link(
    session: AsyncSession, settings: Settings, credential: SignInCredential, account: Account
) -> None:
    ttl = settings.email_verification_ttl_s
    token = await issue_token(session, account.id, "email_verification", ttl)
    content = verification_mail(settings.web_base_url, token, valid_hours=max(1, ttl // 3600))
    await queue_mail(session, to=credential.email, content=content, account_id=account.id)


async def register_person(
    session: AsyncSession, settings: Settings, *, email: str, password: str, display_name: str
) -> tuple[Account, SignInCredential]:
    """A person's account with its sign-in credential (unverified) and the verification mail, queued."""
    email = normalise_email(email)
    passwords.check_new_password(password, email)
    key = email_key(email)
    if await repository.email_key_taken(session, key):
        raise _email_taken()
    account = await accounts.open_account(
        session, settings, display_name=display_name, email=key, kind="person", currency=settings.default_currency
    )
    credential = SignInCredential(
        account_id=account.id,
        email=email,
        email_key=key,
        password_hash=await passwords.hash_password(settings, password),
        password_changed_at=utcnow(),
    )
    session.add(credential)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent sign-up with the same address won
        raise _email_taken() from exc
    await _mail_verification_link(session, settings, credential, account)
    return account, credential


async def verify_email(session: AsyncSession, token: str) -> SignInCredential:
    """The link's token proves the mailbox: the credential's address is verified (again is harmless)."""
    used = await redeem_token(session, token, "email_verification")
    found = await repository.credential_of(session, used.account_id, for_update=True)
    if found is None:  # the account was deleted meanwhile
        raise ProblemError(400, "verification_token_invalid", "Invalid link", "This verification link is not valid")
    credential, _ = found
    if credential.email_verified_at is None:
        credential.email_verified_at = utcnow()
        await session.flush()
    return credential


async def resend_verification(session: AsyncSession, settings: Settings, email: str) -> None:
    """A new verification link for an unverified address, unless one went out in the last
    ``sign_in_mail_interval_s``; nothing at all otherwise (the caller is not told)."""
    found = await repository.credential_by_email_key(session, email_key(email))
    if found is None:
        return
    credential, account = found
    if credential.email_verified_at is not None or account.deleted_at is not None:
        return
    if await issued_since(session, account.id, "email_verification", settings.sign_in_mail_interval_s):
        return
    await _mail_verification_link(session, settings, credential, account)


async def request_password_reset(session: AsyncSession, settings: Settings, email: str) -> None:
    """A reset link for the address's account, if there is one and none went out in the last
    ``sign_in_mail_interval_s`` (the caller is not told)."""
    found = await repository.credential_by_email_key(session, email_key(email))
    if found is None:
        return
    credential, account = found
    if account.deleted_at is not None:
        return
    if await issued_since(session, account.id, "password_reset", settings.sign_in_mail_interval_s):
        return
    ttl = settings.password_reset_ttl_s
    token = await issue_token(session, account.id, "password_reset", ttl)
    name = account.display_name if credential.email_verified_at is not None else None
    content = password_reset_mail(settings.web_base_url, name, token, valid_minutes=max(1, ttl // 60))
    await queue_mail(session, to=credential.email, content=content, account_id=account.id)


async def complete_password_reset(
    session: AsyncSession, settings: Settings, *, token: str, password: str
) -> SignInCredential:
    """The new password replaces the old one; the account's sessions (and authorized apps) end, as do the other
    reset links; the address counts as verified (the link came through it); the email's failed sign-ins are
    forgotten."""
    used = await redeem_token(session, token, "password_reset")
    found = await repository.credential_of(session, used.account_id, for_update=True)
    if found is None:
        raise ProblemError(400, "reset_token_invalid", "Invalid link", "This password reset link is not valid")
    credential, _ = found
    passwords.check_new_password(password, credential.email)
    now = utcnow()
    credential.password_hash = await passwords.hash_password(settings, password)
    credential.password_changed_at = now
    if credential.email_verified_at is None:
        credential.email_verified_at = now
    await retire_tokens(session, credential.account_id, "password_reset")
    await revoke_all_for_account(session, credential.account_id, "password_reset")
    await attempts.forget(session, attempts.email_attempt_key(credential.email))
    await session.flush()
    return credential


async def authenticate(
    session: AsyncSession, settings: Settings, *, email: str, password: str, client_address: str
) -> str:
    """The account id of a person signing in with ``email`` and ``password``.

    Raises ProblemError 401 ``invalid_credentials`` (unknown address or wrong password: the same answer, in the
    same time), 403 ``email_not_verified``, 403 ``account_suspended`` (both only with the right password), and
    429 ``too_many_attempts`` with Retry-After while the address or the client address is locked out.

    Failures are counted in a transaction of their own (committed before the 401 is raised), so the caller's
    transaction rolling back on the error does not forget them. A good sign-in clears its email's count and,
    in the caller's transaction, rehashes a password hashed with older parameters.
    """
    limits = attempts.limits_of(settings, email, client_address)
    # What the password is checked against is read on a connection of its own, given back before the (slow by
    # design) hash: a burst of attempts holds none of the pool while it hashes.
    async with AsyncSession(bind=session.bind, expire_on_commit=False) as own, own.begin():
        retry_after = await attempts.locked_for_s(own, list(limits), utcnow())
        found = None if retry_after is not None else await repository.credential_by_email_key(own, email_key(email))
    if retry_after is not None:
        raise _too_many_attempts(retry_after)
    credential, account = found if found is not None else (None, None)
    if credential is None or account is None or account.deleted_at is not None:
        await passwords.verify_password(settings, None, password)
        raise await _failed(session, settings, limits)
    if not await passwords.verify_password(settings, credential.password_hash, password):
        raise await _failed(session, settings, limits)
    # Other attempts of a burst may have locked the key out meanwhile: the right password waits like the others
    # (answering it, or a 403 only the right password gets, would tell which guess was right).
    retry_after = await attempts.locked_for_s(session, list(limits), utcnow())
    if retry_after is not None:
        raise _too_many_attempts(retry_after)
    if account.suspended:
        raise ProblemError(403, "account_suspended", "Account suspended", "This account is suspended by an operator")
    if credential.email_verified_at is None:
        raise ProblemError(
            403,
            "email_not_verified",
            "Email not verified",
            "Confirm your email address first: follow the link in the mail we sent (or ask for a new one)",
        )
    await attempts.forget(session, attempts.email_attempt_key(credential.email))
    if passwords.needs_rehash(settings, credential.password_hash):
        new_hash = await passwords.hash_password(settings, password)
        await session.execute(
            update(SignInCredential)
            .where(
                SignInCredential.account_id == account.id, SignInCredential.password_hash == credential.password_hash
            )
            .values(password_hash=new_hash)
        )
    await session.flush()
    return account.id


def _too_many_attempts(retry_after: int) -> ProblemError:
    return ProblemError(
        429,
        "too_many_attempts",
        "Too many attempts",
        f"Too many failed sign-ins: try again in {retry_after} seconds",
        headers={"Retry-After": str(retry_after)},
    )


async def _failed(session: AsyncSession, settings: Settings, limits: dict[str, int]) -> ProblemError:
    """The failure counted (committed now, on a connection of its own) and the 401 to raise; the 429 instead
    when other attempts locked the key out while this one's password was checked (nothing counted then)."""
    async with AsyncSession(bind=session.bind) as own, own.begin():
        retry_after = await attempts.record_failure(own, settings, limits, utcnow())
    if retry_after is not None:
        return _too_many_attempts(retry_after)
    return ProblemError(401, "invalid_credentials", "Invalid credentials", "The email or the password is not right")


async def credential_for_export(session: AsyncSession, account_id: str) -> SignInCredential | None:
    found = await repository.credential_of(session, account_id)
    return None if found is None else found[0]


async def erase(session: AsyncSession, account_id: str) -> None:
    """An account's deletion: its credential (the address), its links and every mail to it go."""
    found = await repository.credential_of(session, account_id, for_update=True)
    if found is not None:
        await attempts.forget(session, attempts.email_attempt_key(found[0].email))
    await session.execute(delete(SignInToken).where(SignInToken.account_id == account_id))
    await session.execute(delete(SignInCredential).where(SignInCredential.account_id == account_id))
    await session.execute(delete(OutgoingMail).where(OutgoingMail.account_id == account_id))
