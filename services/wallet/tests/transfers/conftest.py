"""The money-flow fixtures (tests/providers/money_fixtures.py), shared by deposits, transfers, payouts, balances."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def _money_fixtures() -> ModuleType:
    # Test folders are not packages (importlib mode), so the shared module is loaded by path, once.
    name = "wallet_money_fixtures"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, Path(__file__).parents[1] / "providers" / "money_fixtures.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_m = _money_fixtures()
workers, sandbox, live = _m.workers, _m.sandbox, _m.live
