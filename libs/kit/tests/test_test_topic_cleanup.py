"""Topics made under a unique_prefix are deleted when the process that issued it exits."""

from __future__ import annotations

import asyncio
import subprocess
import sys

from aiokafka.admin import AIOKafkaAdminClient

from trickle_kit.testing import KAFKA, wait_until

CHILD = """
import asyncio, sys
from trickle_kit.kafka import ensure_topics
from trickle_kit.testing import unique_prefix
prefix = unique_prefix("cleanup")
from aiokafka.admin import AIOKafkaAdminClient
async def main():
    await ensure_topics(sys.argv[1], [prefix + "wallet", prefix + "settlement"], partitions=1)
    admin = AIOKafkaAdminClient(bootstrap_servers=sys.argv[1])
    await admin.start()
    try:
        assert {prefix + "wallet", prefix + "settlement"} <= set(await admin.list_topics())
    finally:
        await admin.close()
asyncio.run(main())
print(prefix)
"""


def _run_child() -> str:
    """Run CHILD to its exit; the prefix it issued."""
    done = subprocess.run([sys.executable, "-c", CHILD, KAFKA], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


async def _topics() -> set[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=KAFKA)
    await admin.start()
    try:
        return set(await admin.list_topics())
    finally:
        await admin.close()


async def test_a_processs_prefixed_topics_are_gone_after_it_exits() -> None:
    prefix = await asyncio.to_thread(_run_child)

    async def gone() -> bool:
        return not any(t.startswith(prefix) for t in await _topics())

    await wait_until(gone)


async def test_topics_of_other_prefixes_stay() -> None:
    from trickle_kit.kafka import ensure_topics
    from trickle_kit.testing import unique_prefix

    mine = unique_prefix("cleanup-stay")
    await ensure_topics(KAFKA, [mine + "wallet"], partitions=1)
    await asyncio.to_thread(_run_child)
    assert mine + "wallet" in await _topics()
