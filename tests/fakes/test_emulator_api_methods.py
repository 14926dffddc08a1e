"""The emulator's API methods beyond publish: history, presence, batch, rpc, channels and the
broker-down and drop-deliveries faults (reference §1.6, §1.7)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.fakes.centrifugo.config import Fault, Namespace
from tests.fakes.centrifugo.listener import listen
from tests.fakes.centrifugo.server import Emulator

INTERNAL = {"error": {"code": 100, "message": "internal server error"}}


@pytest.fixture
async def api(emulator: Emulator) -> AsyncIterator[httpx.AsyncClient]:
    headers = {"X-API-Key": emulator.config.api_key}
    async with httpx.AsyncClient(base_url=emulator.url, headers=headers, timeout=5) as client:
        yield client


async def call(api: httpx.AsyncClient, method: str, body: dict[str, Any]) -> Any:
    response = await api.post(f"/api/{method}", json=body)
    assert response.status_code == 200
    return response.json()


# -- history, presence, batch, channels ------------------------------------------------------


async def test_history_pages_like_centrifugo(api: httpx.AsyncClient) -> None:
    for n in range(1, 4):
        await call(api, "publish", {"channel": "org:1", "data": {"n": n}})
    everything = (await call(api, "history", {"channel": "org:1", "limit": -1}))["result"]
    epoch = everything["epoch"]
    assert [p["offset"] for p in everything["publications"]] == [1, 2, 3]
    assert everything["publications"][0] == {"data": {"n": 1}, "offset": 1}
    position = await call(api, "history", {"channel": "org:1"})
    assert position == {"result": {"publications": [], "epoch": epoch, "offset": 3}}
    since = {"channel": "org:1", "limit": 5, "since": {"offset": 1, "epoch": epoch}}
    pubs = (await call(api, "history", since))["result"]["publications"]
    assert [p["offset"] for p in pubs] == [2, 3]
    newest = {"channel": "org:1", "limit": 1, "reverse": True}
    assert [
        p["offset"] for p in (await call(api, "history", newest))["result"]["publications"]
    ] == [3]
    stale = {"channel": "org:1", "since": {"offset": 1, "epoch": "other"}}
    assert (await call(api, "history", stale))["error"]["code"] == 112


async def test_history_size_limits_and_remove_empties(
    emulator: Emulator, api: httpx.AsyncClient
) -> None:
    emulator.config.namespaces["small"] = Namespace("small", history_size=2)
    for n in range(5):
        await call(api, "publish", {"channel": "small:a", "data": n})
    kept = (await call(api, "history", {"channel": "small:a", "limit": -1}))["result"]
    assert [p["data"] for p in kept["publications"]] == [3, 4]
    assert await call(api, "history_remove", {"channel": "small:a"}) == {"result": {}}
    after = (await call(api, "history", {"channel": "small:a", "limit": -1}))["result"]
    assert (after["publications"], after["offset"]) == ([], 5)


@pytest.mark.parametrize("method", ["history", "history_remove", "presence", "presence_stats"])
async def test_disabled_features_are_108(
    emulator: Emulator, api: httpx.AsyncClient, method: str
) -> None:
    emulator.config.namespaces["bare"] = Namespace("bare")
    reply = await call(api, method, {"channel": "bare:1"})
    assert reply == {"error": {"code": 108, "message": "not available"}}


async def test_presence_lists_subscribers(emulator: Emulator, api: httpx.AsyncClient) -> None:
    emulator.config.namespaces["org"].presence = True
    listen(emulator.hub, "7", "org:1")
    listen(emulator.hub, "7", "org:1")
    listen(emulator.hub, "8", "org:2")
    stats = await call(api, "presence_stats", {"channel": "org:1"})
    assert stats == {"result": {"num_clients": 2, "num_users": 1}}
    presence = (await call(api, "presence", {"channel": "org:1"}))["result"]["presence"]
    assert sorted(info["user"] for info in presence.values()) == ["7", "7"]
    assert all(info["client"] == client for client, info in presence.items())


@pytest.mark.parametrize(
    ("method", "body"),
    [
        ("subscribe", {"channel": "org:1", "user": "1"}),
        ("unsubscribe", {"channel": "org:1", "user": "1"}),
        ("disconnect", {"user": "1"}),
        ("refresh", {"user": "1"}),
    ],
)
async def test_user_commands_answer_empty_results(
    api: httpx.AsyncClient, method: str, body: dict[str, Any]
) -> None:
    assert await call(api, method, body) == {"result": {}}


async def test_rpc_without_extensions_is_not_found(api: httpx.AsyncClient) -> None:
    assert (await call(api, "rpc", {"method": "ping"}))["error"]["code"] == 104


async def test_batch_replies_per_command(api: httpx.AsyncClient) -> None:
    commands = [
        {"publish": {"channel": "test", "data": 1}},
        {"publish": {"channel": "nope:1", "data": 1}},
        {"channels": {}},
    ]
    reply = await call(api, "batch", {"commands": commands})
    assert reply["replies"][1:] == [
        {"error": {"code": 102, "message": "unknown channel"}},
        {"channels": {"channels": {}}},
    ]
    assert reply["replies"][0]["publish"]["offset"] == 1


async def test_invalid_channels_pattern_is_100(api: httpx.AsyncClient) -> None:
    assert await call(api, "channels", {"pattern": "org:[1"}) == INTERNAL


# -- broker and delivery faults --------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "body"),
    [
        ("publish", {"channel": "org:1", "data": 1}),
        ("channels", {}),
        ("history", {"channel": "org:1"}),
    ],
)
async def test_broker_down_fails_engine_calls_with_100(
    emulator: Emulator, api: httpx.AsyncClient, method: str, body: dict[str, Any]
) -> None:
    emulator.config.faults.add(Fault.BROKER_DOWN)
    assert await call(api, method, body) == INTERNAL


async def test_broker_down_keeps_info_and_fails_broadcast_per_channel(
    emulator: Emulator, api: httpx.AsyncClient
) -> None:
    emulator.config.faults.add(Fault.BROKER_DOWN)
    assert "nodes" in (await call(api, "info", {}))["result"]
    reply = await call(api, "broadcast", {"channels": ["org:1", "test"], "data": 1})
    assert reply == {"result": {"responses": [INTERNAL, INTERNAL]}}
    assert emulator.hub.published == []


async def test_drop_deliveries_accepts_but_delivers_nothing(
    emulator: Emulator, api: httpx.AsyncClient
) -> None:
    received = listen(emulator.hub, "1", "org:1")
    emulator.config.faults.add(Fault.DROP_DELIVERIES)
    assert (await call(api, "publish", {"channel": "org:1", "data": 1}))["result"]["offset"] == 1
    emulator.config.faults.clear()
    await call(api, "publish", {"channel": "org:1", "data": 2})
    assert received == [("org:1", 2)]
