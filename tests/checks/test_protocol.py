"""The protocol client against the emulator (real Centrifugo behaviour) and against scripted
servers for what the emulator does not do (batched frames, dropped TCP, broken frames)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from websockets.asyncio.server import ServerConnection, serve
from websockets.utils import accept_key

from checks import codes
from checks.errors import NoAnswer, Unreachable
from checks.protocol import (
    Closed,
    HandshakeRejected,
    ReplyError,
    Session,
    Unsubscribed,
    open_session,
)
from tests.fakes.centrifugo.blackhole import BlackHole
from tests.fakes.centrifugo.config import V6, EmulatorConfig, Fault
from tests.fakes.centrifugo.jwt_check import mint_token
from tests.fakes.centrifugo.server import Emulator, closed_port

Script = Callable[[ServerConnection], Awaitable[None]]
Start = Callable[[Script], Awaitable[str]]
CONNECTED = json.dumps({"id": 1, "connect": {"client": "c-1", "version": V6, "pong": True}})


def token_for(emulator: Emulator, *, exp_in: int = 60, secret: str | None = None) -> str:
    claims = {"sub": "42", "exp": int(time.time()) + exp_in}
    return mint_token(claims, secret or emulator.config.hmac_secret)


@pytest.fixture
async def session(emulator: Emulator) -> AsyncIterator[Session]:
    async with open_session(emulator.ws_url, within=2) as opened:
        await opened.connect(token_for(emulator), within=2)
        yield opened


@pytest.fixture
async def scripted() -> AsyncIterator[Start]:
    """Start websockets servers running a script per connection; each gives its ws:// URL."""
    async with contextlib.AsyncExitStack() as stack:

        async def start(script: Script) -> str:
            server = await stack.enter_async_context(serve(script, "127.0.0.1", 0))
            port = server.sockets[0].getsockname()[1]
            return f"ws://127.0.0.1:{port}/connection/websocket"

        yield start


# -- against the emulator ------------------------------------------------------------------


async def test_connect_reports_client_version_and_pong(emulator: Emulator) -> None:
    async with open_session(emulator.ws_url, within=2) as opened:
        reply = await opened.connect(token_for(emulator), within=2)

    assert reply.client and reply.version == V6
    assert reply.pong is True
    assert reply.ttl is not None and 0 < reply.ttl <= 60
    assert opened.handshake_ms > 0 and reply.latency_ms > 0


async def test_publication_on_the_subscribed_channel_arrives(
    emulator: Emulator, session: Session
) -> None:
    await session.subscribe("test", within=2)
    await session.subscribe("other", within=2)
    await emulator.hub.publish("other", {"skip": True})
    await emulator.hub.publish("test", {"n": 1})

    publication = await session.next_publication("test", within=2)

    assert (publication.channel, publication.data, publication.offset) == ("test", {"n": 1}, 1)


async def test_server_pings_are_answered_while_waiting() -> None:
    config = EmulatorConfig(ping_interval=0.1, pong_timeout=0.08)
    async with Emulator(config) as emulator, open_session(emulator.ws_url, within=2) as opened:
        await opened.connect(token_for(emulator), within=2)
        await opened.subscribe("test", within=2)
        with pytest.raises(NoAnswer, match=r"no publication within 0\.6"):
            await opened.next_publication("test", within=0.6)  # ~5 pings, no 3012
        await emulator.hub.publish("test", "still here")
        assert (await opened.next_publication("test", within=2)).data == "still here"


@pytest.mark.parametrize(
    ("secret", "exp_in", "error", "code"),
    [
        pytest.param("another-secret", 60, Closed, 3500, id="wrong-secret-closes-3500"),
        pytest.param(None, -60, ReplyError, 109, id="expired-replies-109"),
    ],
)
async def test_connect_failures_carry_centrifugos_code(
    emulator: Emulator, secret: str | None, exp_in: int, error: type[Exception], code: int
) -> None:
    token = token_for(emulator, exp_in=exp_in, secret=secret)
    with pytest.raises(error) as raised:
        async with open_session(emulator.ws_url, within=2) as opened:
            await opened.connect(token, within=2)

    assert raised.value.code == code  # type: ignore[attr-defined]


async def test_connect_without_token_is_3501_bad_request(emulator: Emulator) -> None:
    with pytest.raises(Closed) as raised:
        async with open_session(emulator.ws_url, within=2) as opened:
            await opened.connect(None, within=2)

    assert (raised.value.code, raised.value.reason) == (3501, "bad request")
    assert "3501 bad request (malformed frame" in str(raised.value)


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        pytest.param(Fault.NO_ORG_NAMESPACE, 102, id="unknown-channel"),
        pytest.param(Fault.ORG_NOT_PERMITTED, 103, id="permission-denied"),
    ],
)
async def test_subscribe_error_replies(
    emulator: Emulator, session: Session, fault: Fault, code: int
) -> None:
    emulator.config.faults.add(fault)

    with pytest.raises(ReplyError) as raised:
        await session.subscribe("org:1:messages", within=2)

    assert raised.value.code == code
    await session.subscribe("test", within=2)  # an error reply leaves the connection usable


async def test_subscribe_with_broker_down_closes_3004(emulator: Emulator, session: Session) -> None:
    emulator.config.faults.add(Fault.BROKER_DOWN)

    with pytest.raises(Closed) as raised:
        await session.subscribe("test", within=2)

    assert raised.value.code == 3004


async def test_origin_refused_is_the_handshake_status(emulator: Emulator) -> None:
    with pytest.raises(HandshakeRejected) as raised:
        async with open_session(emulator.ws_url, within=2, origin="https://app.example.com"):
            pass

    assert raised.value.status == 403
    assert raised.value.body.startswith("Forbidden")


async def test_wrong_path_is_a_404_handshake(emulator: Emulator) -> None:
    with pytest.raises(HandshakeRejected) as raised:
        async with open_session(f"{emulator.ws_url}/nope", within=2):
            pass

    assert raised.value.status == 404


# -- transport failures ---------------------------------------------------------------------


async def test_silent_server_is_no_answer_within_the_bound() -> None:
    async with BlackHole() as hole:
        started = time.perf_counter()
        with pytest.raises(NoAnswer, match=r"no WebSocket upgrade within 0\.3 s"):
            async with open_session(hole.ws_url, within=0.3):
                pass

    assert time.perf_counter() - started < 1.0


async def test_refused_port_is_unreachable() -> None:
    with pytest.raises(Unreachable):
        async with open_session(f"ws://127.0.0.1:{closed_port()}/connection/websocket", within=1):
            pass


# -- what only a scripted server shows --------------------------------------------------------


async def test_batched_frames_are_split_and_the_ping_inside_is_answered(scripted: Start) -> None:
    received: list[str] = []

    async def script(ws: ServerConnection) -> None:
        await ws.recv()
        await ws.send(CONNECTED)
        await ws.send('{}\n{"push":{"channel":"test","pub":{"data":{"n":2},"offset":7}}}')
        received.append(str(await ws.recv()))

    async with open_session(await scripted(script), within=2) as opened:
        await opened.connect("t", within=2)
        publication = await opened.next_publication("test", within=2)
        await asyncio.sleep(0.05)

    assert (publication.data, publication.offset) == ({"n": 2}, 7)
    assert received == ["{}"]


async def test_unsubscribe_push_ends_the_wait(scripted: Start) -> None:
    async def script(ws: ServerConnection) -> None:
        await ws.recv()
        await ws.send(CONNECTED)
        await ws.send('{"push":{"channel":"test","unsubscribe":{"code":2000,"reason":"server"}}}')
        await ws.wait_closed()

    async with open_session(await scripted(script), within=2) as opened:
        await opened.connect("t", within=2)
        with pytest.raises(Unsubscribed, match="2000"):
            await opened.next_publication("test", within=2)


async def test_dropped_tcp_is_1006(scripted: Start) -> None:
    async def script(ws: ServerConnection) -> None:
        await ws.recv()
        ws.transport.abort()

    with pytest.raises(Closed) as raised:
        async with open_session(await scripted(script), within=2) as opened:
            await opened.connect("t", within=2)

    assert raised.value.code == 1006
    assert "abnormal closure" in str(raised.value)


async def test_protocol_error_close_is_1002_and_names_a_proxy(scripted: Start) -> None:
    async def script(ws: ServerConnection) -> None:
        await ws.recv()
        await ws.close(1002, "protocol error")

    with pytest.raises(Closed) as raised:
        async with open_session(await scripted(script), within=2) as opened:
            await opened.connect("t", within=2)

    assert raised.value.code == 1002
    assert "proxy" in str(raised.value)


async def test_non_json_frame_is_a_session_error(scripted: Start) -> None:
    async def script(ws: ServerConnection) -> None:
        await ws.recv()
        await ws.send("<html>gateway</html>")
        await ws.wait_closed()

    with pytest.raises(Exception, match="not Centrifugo JSON"):
        async with open_session(await scripted(script), within=2) as opened:
            await opened.connect("t", within=2)


async def test_no_reply_is_bounded(scripted: Start) -> None:
    async def script(ws: ServerConnection) -> None:
        await ws.wait_closed()

    async with open_session(await scripted(script), within=2) as opened:
        with pytest.raises(NoAnswer, match=r"no reply to connect within 0\.2"):
            await opened.connect("t", within=0.2)


async def test_broken_frame_from_an_intermediary_is_1002() -> None:
    """A 'proxy' that completes the upgrade and then sends a frame with reserved bits set."""

    async def broken(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = (await reader.readuntil(b"\r\n\r\n")).decode()
        key = next(
            line.split(":", 1)[1].strip()
            for line in request.split("\r\n")
            if line.lower().startswith("sec-websocket-key:")
        )
        writer.write(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + f"Sec-WebSocket-Accept: {accept_key(key)}\r\n\r\n".encode()
            + b"\xf1\x02{}"  # FIN + RSV1-3 + text: no extension was negotiated
        )
        await writer.drain()
        with contextlib.suppress(ConnectionError):
            await reader.read()
        writer.close()

    server = await asyncio.start_server(broken, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        with pytest.raises(Closed) as raised:
            async with open_session(f"ws://127.0.0.1:{port}/", within=2) as opened:
                await opened.connect("t", within=2)

    assert raised.value.code == 1002
    assert "detected by the bot" in raised.value.reason


# -- the code tables ----------------------------------------------------------------------------


def test_every_documented_code_is_named() -> None:
    assert set(codes.CLIENT_ERRORS) == set(range(100, 114))
    assert set(codes.DISCONNECTS) == {
        *(3000, 3001, 3004, 3005, 3006, 3008, 3009, 3010, 3011, 3012, 3013, 3014),
        *range(3500, 3510),
    }
    assert set(codes.UNSUBSCRIBES) == {2000, 2500, 2501, 2502}
    assert {1002, 1006, 1009} <= set(codes.WEBSOCKET_CLOSES)


@pytest.mark.parametrize(
    ("code", "reason", "text"),
    [
        (3500, "invalid token", "3500 invalid token (the connection JWT was rejected"),
        (1006, "", "1006 abnormal closure (TCP dropped without a close frame"),
        (4001, "", "4001 application-defined (set by a proxy or the app)"),
        (4999, "kicked", "4999 kicked (set by a proxy or the app)"),
        (2999, "", "2999 unknown"),
    ],
)
def test_close_descriptions(code: int, reason: str, text: str) -> None:
    assert codes.describe_close(code, reason).startswith(text)


@pytest.mark.parametrize(
    ("code", "message", "text"),
    [
        (109, "token expired", "109 token expired (the JWT's exp is past"),
        (400, "", "400 application-defined"),
        (2, "weird", "2 weird"),
    ],
)
def test_error_descriptions(code: int, message: str, text: str) -> None:
    assert codes.describe_error(code, message).startswith(text)


@pytest.mark.parametrize(
    ("code", "reconnects"),
    [
        (3001, True),
        (3012, True),
        (3500, False),
        (3999, False),
        (4000, True),
        (4500, False),
        (1006, True),
        (5000, True),
    ],
)
def test_which_closes_browsers_recover_from(code: int, reconnects: bool) -> None:
    assert codes.reconnects(code) is reconnects
