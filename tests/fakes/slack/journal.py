"""An append-only record that tests can await: the stand-in's handlers add to it as Slack traffic
arrives, and `wait` returns as soon as a condition over everything recorded holds.

Every wait in the stand-in takes a `timeout` with a default (hence the ASYNC109 waivers): a test
that waits for traffic that never comes should fail in seconds, naming what it waited for.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Journal(Generic[T]):
    def __init__(self) -> None:
        self.items: list[T] = []
        self._changed = asyncio.Event()

    def add(self, item: T) -> None:
        self.items.append(item)
        # Wake every waiter once, then give later waiters a fresh event to sleep on.
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait(self, found: Callable[[list[T]], R | None], timeout: float, what: str) -> R:  # noqa: ASYNC109
        """Return `found(items)` once it is not None; TimeoutError naming `what` otherwise."""
        try:
            async with asyncio.timeout(timeout):
                while (result := found(self.items)) is None:
                    await self._changed.wait()
                return result
        except TimeoutError:
            raise TimeoutError(
                f"waited {timeout}s for {what}; recorded {len(self.items)}"
            ) from None
