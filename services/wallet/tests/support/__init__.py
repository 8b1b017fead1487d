"""What the wallet's tests share besides fixtures (those are in ../conftest.py): money-flow helpers."""
