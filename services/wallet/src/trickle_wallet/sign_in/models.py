"""Sign-in credentials, single-use tokens (email verification, password reset) and failed-attempt counters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from trickle_wallet.models import Base

TOKEN_PURPOSES = ("email_verification", "password_reset")


class SignInCredential(Base):
    """A person's email + password for an account (at most one per account, one per address)."""

    __tablename__ = "sign_in_credentials"

    account_id: Mapped[str] = mapped_column(String(40), ForeignKey("accounts.id"), primary_key=True)
    # As typed, the domain lower-cased (the local part is the mailbox owner's business).
    email: Mapped[str] = mapped_column(String(254))
    # The whole address lower-cased: one credential per address, whatever its case.
    email_key: Mapped[str] = mapped_column(String(254), unique=True)
    # argon2id, in the PHC string format (parameters and salt included).
    password_hash: Mapped[str] = mapped_column(Text)
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SignInToken(Base):
    """A link's secret, kept as its sha256 only: used once, before it expires."""

    __tablename__ = "sign_in_tokens"
    __table_args__ = (CheckConstraint("purpose IN ('email_verification', 'password_reset')", name="purpose"),)

    # sha256 hex of 32 random bytes: high entropy makes a slow hash unnecessary.
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(40), ForeignKey("accounts.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(32))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SignInAttempt(Base):
    """Failed sign-ins of one key (``email:<sha256 of the address>`` or ``address:<client address>``) in the
    current window, and until when the key is locked out. Shared by every API replica."""

    __tablename__ = "sign_in_attempts"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    window_started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
