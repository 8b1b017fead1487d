"""Settlement tests run against a fresh, migrated database of their own on the real PostgreSQL.

Every fixture is shared from the test-support package ``trickle_settlement_testing``.
"""

from __future__ import annotations

import os

from trickle_settlement_testing.fixtures import (  # noqa: F401
    api,
    client,
    database_url,
    engine,
    feed,
    sessions,
    settings,
    topic_prefix,
    unique,
)
from trickle_settlement_testing.pipeline import pipeline  # noqa: F401

os.environ.setdefault("TRICKLE_LOG_JSON", "false")
