"""The kit's murmur2 partitioner chooses the partition every Kafka client chooses for a key."""

from __future__ import annotations

import ctypes
import random

import pytest
from aiokafka.partitioner import DefaultPartitioner
from aiokafka.partitioner import murmur2 as aiokafka_murmur2

from trickle_kit.partitioner import KafkaPartitioner, murmur2, partition_for

# org.apache.kafka.common.utils.UtilsTest.testMurmur2: the Java client's signed results.
JAVA = [
    (b"21", -973932308),
    (b"foobar", -790332482),
    (b"a-little-bit-long-string", -985981536),
    (b"a-little-bit-longer-string", -1486304829),
    (b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971),
    (b"abc", 479470107),
]


@pytest.mark.parametrize(("key", "signed"), JAVA)
def test_murmur2_is_the_java_clients(key: bytes, signed: int) -> None:
    assert ctypes.c_int32(murmur2(key)).value == signed


def test_murmur2_agrees_with_aiokafka_for_every_length() -> None:
    rng = random.Random(15)
    for length in range(0, 300):  # past the prebuilt structs (255 bytes) too
        for _ in range(10):
            key = rng.randbytes(length)
            assert murmur2(key) == aiokafka_murmur2(key), (length, key)


def test_partitions_are_the_default_partitioners() -> None:
    rng = random.Random(16)
    default, ours = DefaultPartitioner(), KafkaPartitioner()
    for n in (1, 3, 6, 7, 12):
        partitions = list(range(n))
        for _ in range(500):
            key = f"acct_{rng.getrandbits(128):032x}".encode()
            expected = default(key, partitions, partitions)
            assert partition_for(key, partitions) == expected
            assert ours(key, partitions, partitions[:1]) == expected  # a key ignores availability, as in Java


def test_keyless_records_spread_over_available_partitions() -> None:
    ours = KafkaPartitioner()
    assert {ours(None, [0, 1, 2], [2]) for _ in range(20)} == {2}
    assert {ours(None, [0, 1, 2], []) for _ in range(200)} == {0, 1, 2}
