"""One client connection's life after the upgrade (reference §3.2, §3.6, §3.7): read frames,
enforce connect-first and the stale timer, ping/pong, write replies and hub deliveries, and
close with Centrifugo's codes. What each command does lives in `commands.py`."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from aiohttp import WSMsgType, web

from . import commands
from .config import EmulatorConfig, Fault
from .hub import Connection, Hub
from .keys import CONFIG_KEY, HUB_KEY
from .protocol import (
    Disconnect,
    ReplyError,
    bad_request,
    decode_frame,
    encode_frame,
    method_of,
    no_pong,
    send_not_available,
    shutdown,
    stale,
)

# After a connect error reply Centrifugo stops reading and drops TCP about this much later.
LINGER_SECONDS = 5.0
# Close codes a server may echo back in its close frame (RFC 6455 §7.4).
_ECHOABLE = range(3000, 5000)


class Session:
    """One socket: the read loop owns timers and commands; the hub writes via `deliver`."""

    def __init__(self, request: web.Request, ws: web.WebSocketResponse) -> None:
        self.request = request
        self.ws = ws
        self.config: EmulatorConfig = request.app[CONFIG_KEY]
        self.hub: Hub = request.app[HUB_KEY]
        self.conn: Connection | None = None
        self.stopping = asyncio.Event()
        self._write_lock = asyncio.Lock()
        loop = asyncio.get_running_loop()
        self._stale_at = loop.time() + self.config.stale_close_delay
        self._next_ping_at: float | None = None
        self._ping_sent_at: float | None = None
        self._unusable = False  # set by a connect error reply

    async def run(self) -> None:
        try:
            await self._read_loop()
        except Disconnect as disconnect:
            await self.close(disconnect)
        finally:
            if self.conn is not None:
                self.hub.remove(self.conn)
        if self._unusable:
            await self._linger()

    async def close(self, disconnect: Disconnect) -> None:
        await self.ws.close(code=disconnect.code, message=disconnect.reason.encode())

    async def shut_down(self) -> None:
        """App shutdown: Centrifugo tells live clients 3001 "shutdown"."""
        self.stopping.set()
        if self._unusable:
            self._abort()
        elif not self.ws.closed:
            await self.close(shutdown())

    async def pause(self, seconds: float) -> None:
        """Sleep (Fault.SLOW) but wake up at shutdown."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), seconds)

    def connection(self) -> Connection:
        assert self.conn is not None, "commands other than connect run after connect"
        return self.conn

    def connected(self, conn: Connection) -> None:
        self.conn = conn
        if self.config.ping_interval > 0:
            self._next_ping_at = asyncio.get_running_loop().time() + self.config.ping_interval

    async def deliver(self, channel: str, pub: dict[str, Any]) -> None:
        """Hub callback: one publication on a channel this connection is subscribed to."""
        if Fault.DROP_DELIVERIES in self.config.faults:
            return
        async with self._write_lock:
            # Re-checked under the lock: an unsubscribe may have been handled meanwhile.
            if self.conn is not None and channel in self.conn.channels:
                await self._write([{"push": {"channel": channel, "pub": pub}}])

    async def _read_loop(self) -> None:
        while not self._unusable:
            try:
                msg = await self.ws.receive(timeout=self._until_next_timer())
            except TimeoutError:
                await self._on_timer()
                continue
            if msg.type is WSMsgType.TEXT:
                await self._on_frame(msg.data)
            elif msg.type is WSMsgType.BINARY:
                await self._on_frame(msg.data.decode("utf-8", "replace"))
            elif msg.type is WSMsgType.CLOSE:
                await self._answer_close(msg.data)
                return
            else:  # CLOSING, CLOSED, ERROR: aiohttp already closed (e.g. 1009 too big)
                return

    def _until_next_timer(self) -> float | None:
        deadline = self._next_deadline()
        if deadline is None:
            return None
        # receive(timeout=0) would mean "no timeout" to aiohttp
        return max(deadline - asyncio.get_running_loop().time(), 0.001)

    def _next_deadline(self) -> float | None:
        if self.conn is None:
            return self._stale_at
        pong_due = None
        if self._ping_sent_at is not None:
            pong_due = self._ping_sent_at + self.config.pong_timeout
        return min((t for t in (pong_due, self._next_ping_at) if t is not None), default=None)

    async def _on_timer(self) -> None:
        now = asyncio.get_running_loop().time()
        if self.conn is None:
            if now >= self._stale_at:
                raise stale()
            return
        if self._ping_sent_at is not None and now >= self._ping_sent_at + self.config.pong_timeout:
            raise no_pong()
        if self._next_ping_at is not None and now >= self._next_ping_at:
            self._next_ping_at = now + self.config.ping_interval
            if self._ping_sent_at is None:  # one outstanding ping at a time
                self._ping_sent_at = now
                async with self._write_lock:
                    await self._write([{}])

    async def _on_frame(self, data: str) -> None:
        # Holding the write lock for the whole frame keeps replies ahead of the pushes
        # they enable (a publication right after a subscribe follows the subscribe reply).
        async with self._write_lock:
            replies: list[dict[str, Any]] = []
            try:
                for command in decode_frame(data):
                    reply = await self._on_command(command)
                    if reply is not None:
                        replies.append(reply)
                    if self._unusable:
                        break
            finally:
                await self._write(replies)

    async def _on_command(self, command: dict[str, Any]) -> dict[str, Any] | None:
        method = method_of(command)
        command_id: int = command.get("id", 0)
        if self.conn is None and method != "connect":
            raise bad_request()  # first command must be connect
        if method == "send":
            raise send_not_available()
        if method is None:
            if command_id:
                raise bad_request()
            self._on_pong()
            return None
        try:
            result = await commands.handle(self, method, command[method])
        except ReplyError as error:
            self._unusable = method == "connect"
            return error.as_reply(command_id)
        return {"id": command_id, **result}

    def _on_pong(self) -> None:
        if self._ping_sent_at is None:
            raise bad_request()  # a pong nobody asked for
        self._ping_sent_at = None

    async def _write(self, messages: list[dict[str, Any]]) -> None:
        if not messages or self.ws.closed:
            return
        with contextlib.suppress(ConnectionResetError):
            await self.ws.send_str(encode_frame(messages))

    async def _answer_close(self, code: int) -> None:
        await self.ws.close(code=code if code in _ECHOABLE or code == 1000 else 1000)

    async def _linger(self) -> None:
        """Neither read nor answer a close frame; drop TCP (the client sees 1006) unless the
        client goes first."""
        deadline = asyncio.get_running_loop().time() + LINGER_SECONDS
        # Polling: aiohttp offers no "connection lost" event short of reading the socket.
        while self._still_lingering(deadline):  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        self._abort()

    def _still_lingering(self, deadline: float) -> bool:
        transport = self.request.transport
        alive = transport is not None and not transport.is_closing()
        in_time = asyncio.get_running_loop().time() < deadline
        return alive and in_time and not self.stopping.is_set()

    def _abort(self) -> None:
        transport = self.request.transport
        if transport is not None:
            transport.abort()
