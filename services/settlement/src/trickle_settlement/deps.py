"""What the settlement's endpoints take besides their input: one auth alias per scope.

The session factory is the kit's (``trickle_kit.dependencies.Sessions``), imported from there.
"""

from __future__ import annotations

from typing import Annotated

from trickle_kit.auth import OPERATOR, Principal, require

LedgerRead = Annotated[Principal, require("ledger:read")]
Operator = Annotated[Principal, require(OPERATOR)]
