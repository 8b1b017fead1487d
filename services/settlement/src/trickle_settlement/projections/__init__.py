"""Read models of the wallet's accounts and budgets and of the click-ledger's clicks and things: the one door
the close, the money flows and escrow read them through."""
