"""Workers have no port: their Kubernetes probes read the heartbeat file that every worker
writes (trickle_kit.worker_health), live while its event loop turns, ready while its
database answers."""

from __future__ import annotations

import asyncio
import contextlib
import json
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from trickle_kit.db import make_engine
from trickle_kit.settings import DEFAULT_PG, KitSettings
from trickle_kit.testing import wait_until
from trickle_kit.worker import run_worker
from trickle_kit.worker_health import Heartbeat, check, heartbeat_path, main

UNREACHABLE_PG = "postgresql+asyncpg://postgres@127.0.0.1:1/postgres"


def beat(path: Path) -> dict[str, object] | None:
    try:
        data: dict[str, object] = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data


async def test_a_heartbeat_says_when_and_whether_the_database_answered(tmp_path: Path) -> None:
    for url, database in ((f"{DEFAULT_PG}/postgres", True), (UNREACHABLE_PG, False)):
        path = tmp_path / f"{database}.heartbeat"
        engine = make_engine(url, application_name="heartbeat-test", pool_size=1)
        stop = asyncio.Event()
        task = asyncio.create_task(Heartbeat(engine, path, interval_s=0.05).run(stop))

        async def written(path: Path = path) -> bool:
            return beat(path) is not None

        await wait_until(written)
        assert (beat(path) or {})["database"] is database
        assert check(path, ready=False, max_age_s=60) is None
        assert (check(path, ready=True, max_age_s=60) is None) is database
        stop.set()
        await task
        await engine.dispose()
        assert not path.exists(), "a stopped worker leaves no heartbeat behind"


def test_an_old_heartbeat_is_not_live_and_a_missing_one_neither(tmp_path: Path) -> None:
    path = tmp_path / "w.heartbeat"
    assert check(path, ready=False, max_age_s=60) is not None
    path.write_text(json.dumps({"at": time.time() - 61, "database": True}))
    assert "old" in (check(path, ready=False, max_age_s=60) or "")
    assert check(path, ready=False, max_age_s=60, now=time.time() - 30) is None


def test_the_probe_command_exits_0_only_when_live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    path = heartbeat_path("some-service")
    assert path.parent == tmp_path
    assert main(["some-service"]) == 1
    path.write_text(json.dumps({"at": time.time(), "database": False}))
    assert main(["some-service"]) == 0
    assert main(["some-service", "--ready"]) == 1
    path.write_text(json.dumps({"at": time.time() - 120, "database": True}))
    assert main(["some-service", "--max-age", "60"]) == 1


async def test_every_worker_writes_its_heartbeat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    name = f"hb-{uuid.uuid4().hex[:8]}"
    settings = KitSettings(service_name=name, database_url=f"{DEFAULT_PG}/postgres", log_json=False)
    worker = asyncio.create_task(run_worker(settings, lambda engine, sessions: [], relay=False))
    path = heartbeat_path(name)

    async def ready() -> bool:
        return worker.done() or check(path, ready=True, max_age_s=60) is None

    await wait_until(ready)
    assert not worker.done(), worker
    assert main([name, "--ready"]) == 0
    worker.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await worker
    assert not path.exists()
