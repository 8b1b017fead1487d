"""Sign-in tests: a cheap argon2 cost (the parameters are settings; the algorithm is the same), a mail catcher
on a free port of its own, and the wallet worker's mail sender pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from ..support.mail import catching_mail, free_port, running_mail_sender


@pytest.fixture
def settings(settings):  # type: ignore[no-untyped-def]
    return settings.model_copy(
        update={
            "password_hash_time_cost": 1,
            "password_hash_memory_kib": 1024,
            "password_hash_parallelism": 1,
            "smtp_port": free_port(),
            "mail_send_interval_s": 0.1,
            "sign_in_max_failures_per_email": 3,
            "sign_in_max_failures_per_address": 5,
            "web_base_url": "http://web.test",
            "sign_in_mail_interval_s": 0,  # test_mail_interval.py sets its own
        }
    )


@pytest.fixture
async def mailbox(app: FastAPI, settings, tmp_path: Path) -> AsyncIterator[Path]:  # type: ignore[no-untyped-def]
    """The folder where mail sent by the worker's mail task lands (caught in this test's event loop)."""
    directory = tmp_path / "mail"
    async with catching_mail(settings.smtp_port, directory), running_mail_sender(settings, app.state.sessions):
        yield directory
