"""The web service keeps the conventions of docs/architecture.md that apply to it (read from the source with ast)."""

from __future__ import annotations

from pathlib import Path

import trickle_web
from trickle_kit import testing_layout as layout

PACKAGE = Path(trickle_web.__file__).parent
TESTS = Path(__file__).parent


def test_models_py_imports_no_domain_model_so_there_is_no_circle() -> None:
    assert layout.models_registry_offences(PACKAGE, "trickle_web") == []


def test_test_modules_import_no_other_test_module_nor_load_files_by_path() -> None:
    assert layout.standalone_offences(TESTS) == []
