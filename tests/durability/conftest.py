"""The durability tests build their own databases and servers: no shared test transaction."""

import pytest


@pytest.fixture(autouse=True)
def _transaction():
    """Replaces the suite's rolled-back transaction: these tests commit for real, each in a
    database of its own."""
    return
