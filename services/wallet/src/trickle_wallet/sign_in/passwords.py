"""Password hashing (argon2id via argon2-cffi) and the rules a new password must meet."""

from __future__ import annotations

import asyncio
from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from trickle_kit.errors import InvalidInput
from trickle_wallet.settings import Settings

PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 128


@cache
def hasher(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism, type=Type.ID)


def hasher_of(settings: Settings) -> PasswordHasher:
    return hasher(
        settings.password_hash_time_cost, settings.password_hash_memory_kib, settings.password_hash_parallelism
    )


@cache
def _dummy_hash(ph: PasswordHasher) -> str:
    return ph.hash("not anyone's password: verified when the email is unknown")


def check_new_password(password: str, email: str) -> None:
    """The rules beyond length (the schema checks 10..128 characters): not the email address itself."""
    if password.strip().lower() == email.strip().lower():
        raise InvalidInput("password_is_email", "The password must not be the email address", "password")


# argon2 takes tens of milliseconds of CPU by design: in a thread (its C code releases the GIL), not in the loop.
async def hash_password(settings: Settings, password: str) -> str:
    return await asyncio.to_thread(hasher_of(settings).hash, password)


async def verify_password(settings: Settings, password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; with no hash (unknown email) a dummy one is verified, so both take as long."""
    ph = hasher_of(settings)

    def verify() -> bool:
        try:
            return ph.verify(password_hash if password_hash is not None else _dummy_hash(ph), password)
        except (VerificationError, InvalidHashError):
            return False

    matches = await asyncio.to_thread(verify)
    return matches and password_hash is not None


def needs_rehash(settings: Settings, password_hash: str) -> bool:
    """True when the hash was made with other argon2 parameters than the settings' (rehash on a good sign-in)."""
    return hasher_of(settings).check_needs_rehash(password_hash)
