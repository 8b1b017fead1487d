from __future__ import annotations

from aiokafka.partitioner import DefaultPartitioner

from trickle_click_ledger.clicks.partitioning import partition_for
from trickle_kit.ids import new_id


def test_the_partition_is_the_one_kafkas_default_partitioner_picks() -> None:
    partitioner = DefaultPartitioner()
    for partitions in (1, 3, 6, 12):
        every = list(range(partitions))
        for _ in range(200):
            key = new_id("acct")
            assert partition_for(key, partitions) == partitioner(key.encode(), every, every)


def test_known_values_match_the_java_client() -> None:
    # murmur2 test vectors used by Kafka's own client tests (toPositive(murmur2(key)) % n).
    assert partition_for("21", 1000) == (-973932308 & 0x7FFFFFFF) % 1000
    assert partition_for("foobar", 1000) == (-790332482 & 0x7FFFFFFF) % 1000
