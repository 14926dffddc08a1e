"""The emulator's WebSocket client protocol frame by frame (reference §3, §4, §5): connect
first, stale and pong timers, newline batching, close codes, error replies and tokens."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.centrifugo.config import Fault
from tests.fakes.centrifugo.server import Emulator
from tests.fakes.ws_clients import CHANNEL, close_of, connect, raw, receive, send, token


@pytest.mark.parametrize(
    "first",
    [
        {"type": 1, "token": "x"},  # the runbook's snippet
        {"method": 0, "params": {"token": "x"}},  # protocol v1
        {},  # a pong before anything
        {"id": 1, "subscribe": {"channel": CHANNEL}},
    ],
    ids=["runbook_type_token", "protocol_v1", "empty", "subscribe_first"],
)
async def test_first_command_must_be_connect(emulator: Emulator, first: dict[str, Any]) -> None:
    async with raw(emulator) as ws:
        await send(ws, first)
        assert await close_of(ws) == (3501, "bad request")


@pytest.mark.parametrize("frame", ["not json", "", "[1]", '{"id":"one"}'], ids=repr)
async def test_malformed_frames_close_3501(emulator: Emulator, frame: str) -> None:
    async with raw(emulator) as ws:
        await ws.send(frame)
        assert await close_of(ws) == (3501, "bad request")


async def test_connect_reply_shape(emulator: Emulator) -> None:
    async with raw(emulator) as ws:
        reply = await connect(ws, emulator)
        result = reply["connect"]
        assert emulator.hub.connections[result["client"]].user == "42"
    assert reply["id"] == 1
    assert result["version"] == emulator.config.version
    assert (result["ping"], result["pong"], result["expires"]) == (25, True, True)
    assert 3590 <= result["ttl"] <= 3600
    assert emulator.hub.connections == {}  # gone with its socket


async def test_batched_frame_gets_batched_replies(emulator: Emulator) -> None:
    async with raw(emulator) as ws:
        await send(
            ws,
            {"id": 1, "connect": {"token": token(emulator)}},
            {"id": 2, "subscribe": {"channel": CHANNEL}},
            {"id": 3, "subscribe": {"channel": CHANNEL}},
        )
        connect_reply, subscribe_reply, duplicate = await receive(ws)
        assert connect_reply["id"] == 1
        assert subscribe_reply == {"id": 2, "subscribe": {}}
        assert duplicate == {"id": 3, "error": {"code": 105, "message": "already subscribed"}}
        await emulator.hub.publish(CHANNEL, {"text": "hi"})
        assert await receive(ws) == [
            {"push": {"channel": CHANNEL, "pub": {"data": {"text": "hi"}, "offset": 1}}}
        ]


async def test_stale_connection_closes_3502(emulator: Emulator) -> None:
    emulator.config.stale_close_delay = 0.2
    async with raw(emulator) as ws:
        assert await close_of(ws) == (3502, "stale")


async def test_pings_need_pongs(emulator: Emulator) -> None:
    emulator.config.ping_interval, emulator.config.pong_timeout = 0.1, 0.08
    async with raw(emulator) as ws:
        await connect(ws, emulator)
        for _ in range(2):
            assert await receive(ws) == [{}]
            await send(ws, {})
        assert await receive(ws) == [{}]  # this one goes unanswered
        assert await close_of(ws) == (3012, "no pong")


async def test_pong_without_ping_closes_3501(emulator: Emulator) -> None:
    async with raw(emulator) as ws:
        await connect(ws, emulator)
        await send(ws, {})
        assert await close_of(ws) == (3501, "bad request")


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ({"id": 2, "connect": {}}, (3501, "bad request")),
        ({"send": {"data": {}}}, (3508, "not available")),
        ({"id": 2, "nosuchmethod": {}}, (3501, "bad request")),
        ({"id": 2, "subscribe": {"channel": ""}}, (3501, "bad request")),
        ({"id": 2, "refresh": {"token": "garbage"}}, (3500, "invalid token")),
    ],
    ids=["second_connect", "send", "unknown_method", "empty_channel", "bad_refresh"],
)
async def test_commands_that_close(
    emulator: Emulator, command: dict[str, Any], expected: tuple[int, str]
) -> None:
    async with raw(emulator) as ws:
        await connect(ws, emulator)
        await send(ws, command)
        assert await close_of(ws) == expected


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        ({"rpc": {"method": "ping"}}, 108, "not available"),
        ({"publish": {"channel": CHANNEL, "data": {}}}, 103, "permission denied"),
        ({"publish": {"channel": "nope:1", "data": {}}}, 102, "unknown channel"),
        ({"presence": {"channel": CHANNEL}}, 108, "not available"),
        ({"history": {"channel": CHANNEL}}, 103, "permission denied"),
        ({"history": {"channel": "nope:1"}}, 102, "unknown channel"),
        ({"subscribe": {"channel": "org:ção"}}, 107, "bad request"),
    ],
    ids=[
        "rpc",
        "publish",
        "publish_unknown",
        "presence_off",
        "history_unsubscribed",
        "history_unknown",
        "non_ascii",
    ],
)
async def test_error_replies(
    emulator: Emulator, body: dict[str, Any], code: int, message: str
) -> None:
    async with raw(emulator) as ws:
        await connect(ws, emulator)
        await send(ws, {"id": 2, **body})
        assert await receive(ws) == [{"id": 2, "error": {"code": code, "message": message}}]


async def test_broker_down_closes_3004_on_subscribe(emulator: Emulator) -> None:
    emulator.config.faults.add(Fault.BROKER_DOWN)
    async with raw(emulator) as ws:
        await connect(ws, emulator)
        await send(ws, {"id": 2, "subscribe": {"channel": CHANNEL}})
        assert await close_of(ws) == (3004, "internal server error")


async def test_recovery_returns_missed_publications(emulator: Emulator) -> None:
    await emulator.hub.publish(CHANNEL, "one")
    epoch = emulator.hub.epochs[CHANNEL]
    await emulator.hub.publish(CHANNEL, "two")
    subscribe = {
        "channel": CHANNEL,
        "recoverable": True,
        "recover": True,
        "epoch": epoch,
        "offset": 1,
    }
    async with raw(emulator) as ws:
        await connect(ws, emulator)
        await send(ws, {"id": 2, "subscribe": subscribe})
        (reply,) = await receive(ws)
    assert reply["subscribe"] == {
        "epoch": epoch,
        "offset": 2,
        "positioned": True,
        "recoverable": True,
        "was_recovering": True,
        "recovered": True,
        "publications": [{"data": "two", "offset": 2}],
    }


async def test_message_over_64k_closes_1009(emulator: Emulator) -> None:
    async with raw(emulator, max_size=None) as ws:
        await connect(ws, emulator)
        await ws.send("x" * 70000)
        assert await close_of(ws) == (1009, "")


async def test_unsubscribe_stops_pushes(emulator: Emulator) -> None:
    async with raw(emulator) as ws:
        await connect(ws, emulator)
        await send(ws, {"id": 2, "subscribe": {"channel": CHANNEL}})
        await receive(ws)
        await send(ws, {"id": 3, "unsubscribe": {"channel": CHANNEL}})
        assert await receive(ws) == [{"id": 3, "unsubscribe": {}}]
        assert emulator.hub.channels() == {}
        await emulator.hub.publish(CHANNEL, "unseen")
        await send(ws, {"id": 4, "rpc": {"method": "x"}})
        (reply,) = await receive(ws)  # the next frame is the rpc reply, not a push
        assert reply["id"] == 4


async def test_history_and_presence_of_a_subscribed_channel(emulator: Emulator) -> None:
    emulator.config.top_level.presence = True
    async with raw(emulator) as ws:
        client = (await connect(ws, emulator))["connect"]["client"]
        await send(ws, {"id": 2, "subscribe": {"channel": "test"}})
        await receive(ws)
        for text in ("a", "b", "c"):
            await emulator.hub.publish("test", text)
            await receive(ws)
        await send(
            ws,
            {"id": 3, "history": {"channel": "test", "limit": 2, "reverse": True}},
            {"id": 4, "presence": {"channel": "test"}},
            {"id": 5, "presence_stats": {"channel": "test"}},
        )
        history, presence, stats = await receive(ws)
    assert history["history"]["publications"] == [
        {"data": "c", "offset": 3},
        {"data": "b", "offset": 2},
    ]
    assert history["history"]["offset"] == 3
    assert presence["presence"] == {"presence": {client: {"user": "42", "client": client}}}
    assert stats["presence_stats"] == {"num_clients": 1, "num_users": 1}
