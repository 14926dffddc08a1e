"""A TCP server that accepts connections and then says nothing: the shape of a host behind a
firewall that drops replies, or a hung process. Clients connect, send, and wait for their
timeout; closing the black hole drops every held connection."""

from __future__ import annotations

import asyncio
from types import TracebackType


class _Silent(asyncio.Protocol):
    def __init__(self, held: set[asyncio.Transport]) -> None:
        self.held = held
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        transport.pause_reading()  # never read: the client's bytes pile up unanswered
        self.held.add(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.transport is not None:
            self.held.discard(self.transport)


class BlackHole:
    def __init__(self) -> None:
        self.port = 0
        self._held: set[asyncio.Transport] = set()
        self._server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/connection/websocket"

    @property
    def connections(self) -> int:
        """How many connections are being held right now."""
        return len(self._held)

    async def __aenter__(self) -> BlackHole:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(lambda: _Silent(self._held), "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._server is None:
            return
        self._server.close()
        for transport in list(self._held):
            transport.abort()
        await self._server.wait_closed()
        await asyncio.sleep(0)  # let connection_lost run so no transport outlives the loop
        self._server = None
