"""Test support of the settlement service: shared fixtures, synthetic periods, a close that can be killed.

Not part of the service: only its tests and the benchmark import it.
"""
