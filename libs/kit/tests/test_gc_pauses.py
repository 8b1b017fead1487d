"""freeze_startup_objects: what is alive at start-up leaves the collector's generations; an API's
youngest generation is collected less often while it runs."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient

from trickle_kit.app import create_app
from trickle_kit.gc_pauses import REQUEST_GEN0_THRESHOLD, freeze_startup_objects, young_objects_collected_less_often
from trickle_kit.settings import KitSettings


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


def test_young_objects_are_collected_after_the_request_threshold_and_the_old_thresholds_come_back() -> None:
    before = gc.get_threshold()
    with young_objects_collected_less_often(5_000):
        assert gc.get_threshold() == (5_000, *before[1:])
    assert gc.get_threshold() == before


def test_an_api_collects_young_objects_less_often_while_it_runs() -> None:
    before = gc.get_threshold()
    app = create_app(KitSettings(log_json=False), title="t")
    try:
        with TestClient(app):
            assert gc.get_threshold()[0] == REQUEST_GEN0_THRESHOLD
        assert gc.get_threshold() == before
    finally:
        gc.unfreeze()  # the lifespan froze what this test process holds
