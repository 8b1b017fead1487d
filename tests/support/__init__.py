"""What the top-level tests share besides fixtures (those are in each folder's conftest.py)."""
