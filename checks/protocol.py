"""A minimal Centrifugo JSON protocol v2 client: connect with a token, subscribe, wait for
publications (reference §3). The WebSocket layer and the error tree live in checks.ws_transport.

It reads only while the caller waits, so no background task can outlive it; server pings
are answered inside those reads.
"""

from __future__ import annotations

import ssl
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from websockets.asyncio.client import ClientConnection

from checks.codes import describe_error
from checks.ws_transport import (
    Closed,
    Frames,
    HandshakeFailed,
    HandshakeRejected,
    SessionError,
    bounded,
    upgrade,
)

__all__ = [
    "Closed",
    "ConnectReply",
    "HandshakeFailed",
    "HandshakeRejected",
    "Publication",
    "ReplyError",
    "Session",
    "SessionError",
    "Unsubscribed",
    "open_session",
]


class ReplyError(SessionError):
    def __init__(self, code: int, message: str, temporary: bool = False) -> None:
        super().__init__(
            f"error {describe_error(code, message)}",
            f"erro {describe_error(code, message, 'pt-BR')}",
        )
        self.code = code
        self.message = message
        self.temporary = temporary


class Unsubscribed(SessionError):
    def __init__(self, channel: str, code: int, reason: str) -> None:
        super().__init__(
            f"unsubscribed from {channel}: {code} {reason}",
            f"inscrição em {channel} cancelada pelo servidor: {code} {reason}",
        )
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class ConnectReply:
    client: str
    version: str
    ping: float | None  # seconds between server pings; None when pings are off
    pong: bool  # the server expects `{}` back for every ping
    ttl: int | None  # seconds until the connection token expires, when it does
    latency_ms: float


@dataclass(frozen=True)
class Publication:
    channel: str
    data: Any
    offset: int | None
    received_at: float  # time.perf_counter() when the frame was read


class Session:
    """One client connection: call `connect` first, then `subscribe` and `next_publication`."""

    def __init__(self, ws: ClientConnection, handshake_ms: float) -> None:
        self.handshake_ms = handshake_ms
        self._frames = Frames(ws)
        self._next_id = 0
        self._replies: dict[int, dict[str, Any]] = {}
        self._pushes: deque[tuple[dict[str, Any], float]] = deque()

    async def connect(self, token: str | None, *, within: float) -> ConnectReply:
        started = time.perf_counter()
        request: dict[str, Any] = {"name": "centrifugo-bot"}
        if token:
            request["token"] = token
        result = await self._command("connect", request, within)
        self._frames.pong = bool(result.get("pong"))
        ping = result.get("ping")
        return ConnectReply(
            client=str(result.get("client", "")),
            version=str(result.get("version", "")),
            ping=float(ping) if ping else None,
            pong=self._frames.pong,
            ttl=int(result["ttl"]) if result.get("ttl") else None,
            latency_ms=round((time.perf_counter() - started) * 1000, 1),
        )

    async def subscribe(
        self, channel: str, *, within: float, token: str | None = None
    ) -> dict[str, Any]:
        request: dict[str, Any] = {"channel": channel}
        if token:
            request["token"] = token
        return await self._command("subscribe", request, within)

    async def next_publication(self, channel: str, *, within: float) -> Publication:
        """The next publication pushed on `channel` (earlier ones first)."""
        async with bounded(within, "no publication", "nenhuma publicação"):
            while True:
                while self._pushes:
                    push, received_at = self._pushes.popleft()
                    publication = _publication(push, channel, received_at)
                    if publication is not None:
                        return publication
                await self._read()

    async def close(self) -> None:
        await self._frames.close()

    def abort(self) -> None:
        self._frames.abort()

    async def _command(self, method: str, request: dict[str, Any], within: float) -> dict[str, Any]:
        self._next_id += 1
        command_id = self._next_id
        async with bounded(within, f"no reply to {method}", f"sem resposta ao {method}"):
            await self._frames.send({"id": command_id, method: request})
            while command_id not in self._replies:
                await self._read()
        reply = self._replies.pop(command_id)
        if "error" in reply:
            error = reply["error"] or {}
            raise ReplyError(
                int(error.get("code", 0)),
                str(error.get("message", "")),
                bool(error.get("temporary")),
            )
        result = reply.get(method)
        return result if isinstance(result, dict) else {}

    async def _read(self) -> None:
        for message in await self._frames.receive():
            if isinstance(message.get("id"), int) and message["id"] > 0:
                self._replies[message["id"]] = message
            elif isinstance(message.get("push"), dict):
                self._pushes.append((message["push"], time.perf_counter()))


def _publication(push: dict[str, Any], channel: str, received_at: float) -> Publication | None:
    """The publication in a push on `channel`, None for other pushes; raises on endings."""
    if isinstance(push.get("disconnect"), dict):  # only non-WebSocket transports use it
        raise Closed(int(push["disconnect"].get("code", 0)), str(push["disconnect"].get("reason")))
    if push.get("channel") != channel:
        return None
    if isinstance(push.get("unsubscribe"), dict):
        end = push["unsubscribe"]
        raise Unsubscribed(channel, int(end.get("code", 0)), str(end.get("reason", "")))
    pub = push.get("pub")
    if not isinstance(pub, dict):
        return None
    offset = pub.get("offset")
    return Publication(channel, pub.get("data"), int(offset) if offset else None, received_at)


@asynccontextmanager
async def open_session(
    url: str,
    *,
    within: float,
    ssl_context: ssl.SSLContext | None = None,
    origin: str | None = None,
) -> AsyncIterator[Session]:
    """Upgrade to a WebSocket at `url` within `within` seconds; always closes it on the way out."""
    started = time.perf_counter()
    ws = await upgrade(url, within, ssl_context, origin)
    session = Session(ws, round((time.perf_counter() - started) * 1000, 1))
    try:
        yield session
    except BaseException:
        # A failed or cancelled session is dropped at once: waiting for a goodbye from a
        # server that may have stopped reading would eat the check's remaining time.
        session.abort()
        raise
    await session.close()
