"""freeze_startup_objects: what is alive at start-up leaves the collector's generations."""

from __future__ import annotations

import gc

from trickle_kit.gc_pauses import freeze_startup_objects


def test_startup_objects_are_frozen_and_new_ones_are_still_collected() -> None:
    before = gc.get_freeze_count()
    kept = [[i] for i in range(1000)]  # alive "at start-up"
    try:
        freeze_startup_objects()
        assert gc.get_freeze_count() >= before + 1000
        tracked = {id(o) for o in gc.get_objects()}
        assert not any(id(k) in tracked for k in kept)  # frozen objects are not walked any more

        class Cycle:
            pass

        a, b = Cycle(), Cycle()
        a.other, b.other = b, a  # type: ignore[attr-defined]
        del a, b
        assert gc.collect() >= 2  # garbage made after the freeze is still found
    finally:
        gc.unfreeze()
