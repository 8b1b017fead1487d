"""What the webhook tests share besides fixtures (those are in ../conftest.py)."""
