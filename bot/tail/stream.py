"""A live subscription to one Centrifugo channel through Centrifugo's official WebSocket client
(centrifuge-python), which reconnects with backoff, answers pings and recovers what was missed.
Publications and connection events go to a sink as they happen; terminal ones end the stream.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from centrifuge import Client, ClientEventHandler, SubscriptionEventHandler

from bot.tail.batch import EventKind, TailEvent
from checks.connection_token import mint
from checks.context import make_ssl_context
from checks.target import Target

CLIENT_NAME = "centrifugo-bot"
MAX_RECONNECT_DELAY = 10.0  # the SDK's 20 s default leaves a tail silent for too long
CLOSE_GRACE = 2.0  # how long closing waits for the SDK's socket-closing tasks
_CALLED = 0  # the SDK's code for transitions our own connect()/disconnect() asked for
_MAX_REASON = 200


class TailSink(Protocol):
    """Where a stream reports; called on the event loop, so it must not block."""

    def publication(self, offset: int, data: Any, at: float) -> None: ...

    def event(self, event: TailEvent) -> None: ...


@dataclass
class Stream:
    """A running subscription: `ended` is set when Centrifugo ended it for good (`final`)."""

    ended: asyncio.Event = field(default_factory=asyncio.Event)
    final: TailEvent | None = None


@dataclass
class _Relay:
    """Turns the SDK's callbacks into TailEvents for the sink."""

    sink: TailSink
    clock: Callable[[], float]
    stream: Stream = field(default_factory=Stream)
    connected_before: bool = False
    subscribed_before: bool = False

    def emit(self, kind: EventKind, code: int | None = None, reason: str = "", **more: Any) -> None:
        event = TailEvent(kind, self.clock(), code, _short(reason), **more)
        self.sink.event(event)
        if event.terminal and self.stream.final is None:
            self.stream.final = event
            self.stream.ended.set()


class _ClientEvents(ClientEventHandler):  # type: ignore[misc]
    def __init__(self, relay: _Relay) -> None:
        self.relay = relay

    async def on_connecting(self, ctx: Any) -> None:
        if ctx.code != _CALLED:
            self.relay.emit(EventKind.DISCONNECTED, ctx.code, ctx.reason)

    async def on_connected(self, ctx: Any) -> None:
        if self.relay.connected_before:
            self.relay.emit(EventKind.RECONNECTED)
        self.relay.connected_before = True

    async def on_disconnected(self, ctx: Any) -> None:
        if ctx.code != _CALLED:
            self.relay.emit(EventKind.CLOSED, ctx.code, ctx.reason)

    async def on_error(self, ctx: Any) -> None:
        self.relay.emit(EventKind.CONNECT_FAILED, ctx.code, _error_text(ctx.error))


class _SubscriptionEvents(SubscriptionEventHandler):  # type: ignore[misc]
    def __init__(self, relay: _Relay) -> None:
        self.relay = relay

    async def on_subscribed(self, ctx: Any) -> None:
        relay = self.relay
        if not relay.subscribed_before:
            relay.emit(EventKind.SUBSCRIBED)
        else:
            recovered = bool(ctx.recovered) if ctx.was_recovering else None
            relay.emit(EventKind.RESUBSCRIBED, recovered=recovered)
        relay.subscribed_before = True

    async def on_unsubscribed(self, ctx: Any) -> None:
        if ctx.code != _CALLED:
            self.relay.emit(EventKind.REFUSED, ctx.code, ctx.reason)

    async def on_error(self, ctx: Any) -> None:
        self.relay.emit(EventKind.SUBSCRIBE_FAILED, ctx.code, _error_text(ctx.error))

    async def on_publication(self, ctx: Any) -> None:
        pub = ctx.pub
        self.relay.sink.publication(int(pub.offset or 0), pub.data, self.relay.clock())


@asynccontextmanager
async def open_stream(
    target: Target,
    channel: str,
    sink: TailSink,
    *,
    ended: asyncio.Event | None = None,
    clock: Callable[[], float] = time.time,
) -> AsyncIterator[Stream]:
    """Connect and subscribe to `channel`; on exit, disconnect and close the socket.

    `ended` (one is made when not given) is set when Centrifugo ends the stream for good.
    """
    relay = _Relay(sink, clock, Stream(ended or asyncio.Event()))
    client = _client(target, relay)
    subscription = client.new_subscription(
        channel, events=_SubscriptionEvents(relay), recoverable=True
    )
    try:
        await subscription.subscribe()  # sent once connected
        await client.connect()  # one attempt; failures are events and the SDK retries
        yield relay.stream
    finally:
        await _close(client)


def _client(target: Target, relay: _Relay) -> Client:
    url = target.websocket_url
    tls = make_ssl_context(target) if url.startswith("wss://") else None
    return Client(
        url,
        events=_ClientEvents(relay),
        get_token=_token_source(target),
        name=CLIENT_NAME,
        timeout=target.check_timeout,
        max_reconnect_delay=MAX_RECONNECT_DELAY,
        ssl_context=tls,
    )


def _token_source(target: Target) -> Callable[[], Awaitable[str]] | None:
    """A fresh short-lived token on every (re)connect and refresh, signed with the HMAC secret;
    without one the client connects without a token (anonymous, if the server allows it)."""
    secret = target.centrifugo_token_hmac_secret_key
    if secret is None or not secret.get_secret_value():
        return None

    async def token() -> str:
        return mint(secret, time.time())

    return token


async def _close(client: Client) -> None:
    await client.disconnect()
    # The SDK closes its socket in background tasks; unwaited, they would outlive the tail.
    pending = list(client._background_tasks)
    if pending:
        await asyncio.wait(pending, timeout=CLOSE_GRACE)


def _error_text(error: BaseException) -> str:
    return str(error) or type(error).__name__


def _short(text: str) -> str:
    return text if len(text) <= _MAX_REASON else text[: _MAX_REASON - 1] + "…"
