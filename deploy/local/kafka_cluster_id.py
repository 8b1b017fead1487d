"""A new KRaft cluster id for ``kafka.sh``: 16 random bytes, base64url without padding, as Kafka's
``Uuid.randomUuid()`` makes them, and like it never starting with "-": the storage tool's argument
parser took such an id (one in 64) for an option and refused to format (``--cluster-id/-t: expected
one argument``). Standard library only: it runs before the project's virtualenv may exist."""

from __future__ import annotations

import base64
import os
from collections.abc import Callable


def cluster_id(random_bytes: Callable[[int], bytes] = os.urandom) -> str:
    """A cluster id that does not start with "-"."""
    while True:
        candidate = base64.urlsafe_b64encode(random_bytes(16)).decode().rstrip("=")
        if not candidate.startswith("-"):
            return candidate


if __name__ == "__main__":
    print(cluster_id())
