"""Request and response models of sign-in."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from trickle_wallet.accounts.schemas import Account, DisplayName
from trickle_wallet.sign_in.passwords import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH

Password = Annotated[
    str,
    Field(
        min_length=PASSWORD_MIN_LENGTH,
        max_length=PASSWORD_MAX_LENGTH,
        description=f"{PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} characters, not the email address",
        examples=["correct horse battery staple"],
    ),
]
Email = Annotated[EmailStr, Field(max_length=254, examples=["ada@example.org"])]
LinkToken = Annotated[str, StringConstraints(min_length=1, max_length=200), Field(description="The link's token")]


class PersonCreate(BaseModel):
    """Sign up with an email address and a password: a person's account, signed in to with the password once the
    address is confirmed (the link in the mail)."""

    model_config = ConfigDict(extra="forbid", title="PersonCreate")

    email: Email
    password: Password
    display_name: DisplayName = Field(examples=["Ada Lovelace"])


class PersonRegistered(BaseModel):
    """The new account; a mail with a link to confirm the address is on its way (no API key: people sign in)."""

    model_config = ConfigDict(title="PersonRegistered")

    account: Account
    email: str = Field(examples=["ada@example.org"])
    email_verified: bool = Field(examples=[False])


class EmailVerificationCreate(BaseModel):
    """The token from the link in the verification mail."""

    model_config = ConfigDict(extra="forbid", title="EmailVerificationCreate")

    token: LinkToken


class EmailVerified(BaseModel):
    model_config = ConfigDict(title="EmailVerified")

    account_id: str = Field(examples=["acct_0190c0ffee0000000000000000000000"])
    email: str = Field(examples=["ada@example.org"])
    email_verified: bool = Field(examples=[True])


class EmailAddressed(BaseModel):
    """An address to mail a link to (a new verification link, a password reset link)."""

    model_config = ConfigDict(extra="forbid", title="EmailAddressed")

    email: Email


class MailAccepted(BaseModel):
    """The request was taken; whether a mail goes out is not said (that would tell who has an account)."""

    model_config = ConfigDict(title="MailAccepted")

    detail: str = Field(examples=["If this address belongs to an account, a mail with a link is on its way"])


class PasswordResetComplete(BaseModel):
    """The token from the reset mail's link and the new password."""

    model_config = ConfigDict(extra="forbid", title="PasswordResetComplete")

    token: LinkToken
    password: Password


class PasswordChanged(BaseModel):
    """The password was changed: the account's sign-in sessions ended; sign in with the new password."""

    model_config = ConfigDict(title="PasswordChanged")

    account_id: str = Field(examples=["acct_0190c0ffee0000000000000000000000"])
    email: str = Field(examples=["ada@example.org"])
    email_verified: bool = Field(examples=[True])


class SignInExport(BaseModel):
    """How the account's holder signs in (the password itself is never exported, not even its hash)."""

    model_config = ConfigDict(title="SignInExport", from_attributes=True)

    email: str = Field(examples=["ada@example.org"])
    email_verified_at: datetime | None = None
    password_changed_at: datetime
    created_at: datetime
