"""`make run` works: deploy/local/run_probe.py starts it, every /readyz answers 200, it stops.

So that `make test` proves `make run` without touching a `make run` a developer may have up,
the probe runs the APIs on free ports, against five fresh (empty) databases that `make run`'s
own migrate step must bring to head, with a topic prefix of its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from trickle_kit.testing import PG_ADMIN, fresh_database, unique_prefix, worker_suffix

REPO = Path(__file__).resolve().parents[2]
PROBE = REPO / "deploy" / "local" / "run_probe.py"
SERVICES = ["wallet", "click_ledger", "settlement", "webhook", "web"]
WORKERS = ["wallet", "click_ledger", "settlement", "webhook"]  # the web front end has none


@pytest.fixture
def probe_databases() -> Iterator[dict[str, str]]:
    names = {svc: f"probe_{svc}_{worker_suffix()}_{os.getpid()}" for svc in SERVICES}
    env = {f"TRICKLE_{svc.upper()}_DATABASE_URL": fresh_database(name) for svc, name in names.items()}
    yield env
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for name in names.values():
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def test_make_run_serves_every_readyz(probe_databases: dict[str, str], tmp_path: Path) -> None:
    env = dict(os.environ) | probe_databases
    env["TRICKLE_TOPIC_PREFIX"] = unique_prefix("probe")
    log = tmp_path / "make-run.log"
    result = subprocess.run(
        [sys.executable, str(PROBE), "--free-ports", "--timeout", "120", "--log", str(log)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=200,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, f"make run did not get every service ready:\n{report}"
    for svc in SERVICES:
        assert f"{svc} ready on http://127.0.0.1:" in report, report
    # The probe stopped everything it started: honcho reported each process as stopped.
    lines = log.read_text("utf-8", "replace")
    for proc in SERVICES + [f"{svc}_worker" for svc in WORKERS]:
        assert f"{proc}.1 stopped" in lines, f"{proc} was not seen stopping:\n{lines[-3000:]}"
