"""Fixtures shared by the check tests, grouped by the check that needs them.

Each group is owned by one check's tests; add a new group rather than editing another's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.redis_server import RedisServer

# --- Redis (`redis` check): real redis-server processes on free loopback ports -------------

REDIS_PASSWORD = "Rd3w-p@ss/w0rd:x"


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server without a password; tests may `kill()` it mid-test."""
    server = RedisServer(tmp_path / "redis").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_server_with_password(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server started with `requirepass REDIS_PASSWORD`."""
    server = RedisServer(tmp_path / "redis-auth", password=REDIS_PASSWORD).start()
    try:
        yield server
    finally:
        server.stop()
