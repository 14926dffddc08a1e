"""Test clients for the emulator's WebSocket side: a raw `websockets` connection with frame
helpers, JWTs signed with the emulator's secret, and queues recording centrifuge-python's
event callbacks."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
import websockets
from centrifuge import ClientEventHandler, SubscriptionEventHandler
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from tests.fakes.centrifugo.config import EmulatorConfig
from tests.fakes.centrifugo.jwt_check import mint_token
from tests.fakes.centrifugo.server import Emulator

CHANNEL = "org:123:messages"


@asynccontextmanager
async def raw(emulator: Emulator, **kwargs: Any) -> AsyncIterator[ClientConnection]:
    options: dict[str, Any] = {"proxy": None, "open_timeout": 2, "close_timeout": 1, **kwargs}
    async with websockets.connect(emulator.ws_url, **options) as ws:
        yield ws


def token(emulator: Emulator, **claims: Any) -> str:
    return token_for(emulator.config, **claims)


def token_for(config: EmulatorConfig, **claims: Any) -> str:
    claims = {"sub": "42", "exp": int(time.time()) + 3600, **claims}
    return mint_token(claims, config.hmac_secret)


async def send(ws: ClientConnection, *messages: Any) -> None:
    await ws.send("\n".join(json.dumps(m) for m in messages))


async def receive(ws: ClientConnection) -> list[dict[str, Any]]:
    frame = await asyncio.wait_for(ws.recv(), 2)
    assert isinstance(frame, str)
    return [json.loads(line) for line in frame.split("\n")]


async def close_of(ws: ClientConnection, within: float = 3.0) -> tuple[int, str] | None:
    """The server's close code and reason; None when TCP dropped without a close frame."""
    with pytest.raises(ConnectionClosed) as closed:
        async with asyncio.timeout(within):
            while True:
                await ws.recv()
    rcvd = closed.value.rcvd
    return None if rcvd is None else (rcvd.code, rcvd.reason)


async def connect(ws: ClientConnection, emulator: Emulator) -> dict[str, Any]:
    await send(ws, {"id": 1, "connect": {"token": token(emulator)}})
    (reply,) = await receive(ws)
    return reply


class Events:
    """Every SDK callback lands in one queue; `next(kind)` skips the others."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()

    def record(self, kind: str, ctx: Any) -> None:
        self.queue.put_nowait((kind, ctx))

    async def next(self, kind: str, within: float = 3.0) -> Any:
        async with asyncio.timeout(within):
            while True:
                got, ctx = await self.queue.get()
                if got == kind:
                    return ctx


class ClientEvents(Events, ClientEventHandler):  # type: ignore[misc]
    async def on_connecting(self, ctx: Any) -> None:
        self.record("connecting", ctx)

    async def on_connected(self, ctx: Any) -> None:
        self.record("connected", ctx)

    async def on_disconnected(self, ctx: Any) -> None:
        self.record("disconnected", ctx)

    async def on_error(self, ctx: Any) -> None:
        self.record("error", ctx)


class SubEvents(Events, SubscriptionEventHandler):  # type: ignore[misc]
    async def on_subscribed(self, ctx: Any) -> None:
        self.record("subscribed", ctx)

    async def on_unsubscribed(self, ctx: Any) -> None:
        self.record("unsubscribed", ctx)

    async def on_publication(self, ctx: Any) -> None:
        self.record("publication", ctx)

    async def on_error(self, ctx: Any) -> None:
        self.record("error", ctx)
