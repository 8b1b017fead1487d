"""The local broker's cluster id never starts with "-" (deploy/local/kafka_cluster_id.py).

Kafka's storage tool read such an id as an option and refused to format a new broker's storage
(``kafka-storage: error: argument --cluster-id/-t: expected one argument``): one id in 64, and a
fresh-clone CI run met it when the outage test started its own broker.
"""

from __future__ import annotations

import base64
import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "deploy" / "local" / "kafka_cluster_id.py"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kafka_cluster_id", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_an_id_that_would_start_with_a_dash_is_drawn_again() -> None:
    dash_first = b"\xf8" + bytes(15)  # its first six bits are 62: "-" in base64url
    assert base64.urlsafe_b64encode(dash_first).decode().startswith("-")
    draws: Iterator[bytes] = iter([dash_first, dash_first, b"\x01" * 16])
    assert _module().cluster_id(lambda n: next(draws)) == base64.urlsafe_b64encode(b"\x01" * 16).decode().rstrip("=")


def test_the_script_prints_a_kafka_uuid() -> None:
    printed = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, check=True).stdout.strip()
    assert len(printed) == 22 and not printed.startswith("-")
    assert len(base64.urlsafe_b64decode(printed + "==")) == 16  # 16 bytes, as Kafka's Uuid.fromString reads it
