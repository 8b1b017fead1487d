"""The click-ledger tests' support: what more than one test module uses lives here, and only here.

Test modules import from this package (``from ..support.things import register``), never from
one another; ``conftest.py`` builds its fixtures from it. Files tests load (the embed harness)
are found through it too.
"""
