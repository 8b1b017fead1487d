"""Top-level and kit tests stand alone: no test module imports another test module or a conftest,
and nothing is loaded by file path; what they share is in ``tests/support/``
(read with ast by ``trickle_kit.testing_layout``)."""

from __future__ import annotations

from pathlib import Path

from trickle_kit import testing_layout as layout

REPO = Path(__file__).resolve().parents[1]
SUITES = [REPO / "tests" / d for d in ("browser", "deploy", "events", "e2e", "platform", "support", "traces")]
SUITES.append(REPO / "libs" / "kit" / "tests")


def test_no_test_module_imports_another_or_loads_one_by_path() -> None:
    assert [o for suite in SUITES for o in layout.standalone_offences(suite)] == []


def test_the_check_sees_an_import_of_another_test_module(tmp_path: Path) -> None:
    (tmp_path / "test_a.py").write_text("from tests.events.test_backbone import running\n")
    (tmp_path / "test_b.py").write_text("import importlib.util\nimportlib.util.spec_from_file_location('m', 'x.py')\n")
    assert layout.standalone_offences(tmp_path) == [
        "test_a.py imports tests.events.test_backbone",
        "test_b.py loads a module by path",
    ]
