"""Top-level and kit tests stand alone: no test module imports another test module or a conftest,
and nothing is loaded by file path; what they share is in ``tests/support/``
(read with ast by ``trickle_kit.testing_layout``)."""

from __future__ import annotations

from pathlib import Path

from trickle_kit import testing_layout as layout

REPO = Path(__file__).resolve().parents[1]
# Every folder of tests/ (a new suite is checked without being listed here).
SUITES = sorted(d for d in (REPO / "tests").iterdir() if d.is_dir() and any(d.glob("*.py")))
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
