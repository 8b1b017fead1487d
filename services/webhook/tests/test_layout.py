"""The webhook service keeps the conventions of docs/architecture.md (read from the source with ast, nothing runs)."""

from __future__ import annotations

from pathlib import Path

import trickle_webhook
from trickle_kit import testing_layout as layout

PACKAGE = Path(trickle_webhook.__file__).parent
TESTS = Path(__file__).parent


def test_models_py_imports_no_domain_model_so_there_is_no_circle() -> None:
    assert layout.models_registry_offences(PACKAGE, "trickle_webhook") == []


def test_endpoints_take_sessions_settings_and_principals_from_dependencies() -> None:
    assert layout.endpoint_plumbing_offences(PACKAGE) == []


def test_services_name_inputs_without_knowing_where_the_request_carried_them() -> None:
    assert layout.located_input_offences(PACKAGE) == []


def test_test_modules_import_no_other_test_module_nor_load_files_by_path() -> None:
    assert layout.standalone_offences(TESTS) == []
