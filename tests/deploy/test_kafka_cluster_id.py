"""The local broker's cluster id never starts with "-" (deploy/local/kafka_cluster_id.py).

Kafka's storage tool read such an id as an option and refused to format a new broker's storage
(``kafka-storage: error: argument --cluster-id/-t: expected one argument``): one id in 64, and a
fresh-clone CI run met it when the outage test started its own broker. The script is run as
``kafka.sh`` runs it, in an interpreter of its own.
"""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "deploy" / "local" / "kafka_cluster_id.py"
# In a child interpreter: ``cluster_id`` fed the draws given as hex arguments, in turn.
FED = (
    "import sys; sys.path.insert(0, sys.argv[1]); import kafka_cluster_id as k; "
    "draws = iter(bytes.fromhex(h) for h in sys.argv[2:]); print(k.cluster_id(lambda n: next(draws)))"
)


def _run(*args: str) -> str:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, check=True).stdout.strip()


def test_an_id_that_would_start_with_a_dash_is_drawn_again() -> None:
    dash_first = b"\xf8" + bytes(15)  # its first six bits are 62: "-" in base64url
    assert base64.urlsafe_b64encode(dash_first).decode().startswith("-")
    drawn = _run("-c", FED, str(SCRIPT.parent), dash_first.hex(), dash_first.hex(), (b"\x01" * 16).hex())
    assert drawn == base64.urlsafe_b64encode(b"\x01" * 16).decode().rstrip("=")


def test_the_script_prints_a_kafka_uuid() -> None:
    printed = _run(str(SCRIPT))
    assert len(printed) == 22 and not printed.startswith("-")
    assert len(base64.urlsafe_b64decode(printed + "==")) == 16  # 16 bytes, as Kafka's Uuid.fromString reads it
