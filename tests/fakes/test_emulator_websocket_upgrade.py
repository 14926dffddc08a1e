"""The emulator's WebSocket upgrade and lifecycle (reference §2, §7): handshake refusals,
Origin checks, the SLOW fault, and the 3001 goodbye at shutdown."""

from __future__ import annotations

import time

import httpx
import pytest
import websockets
from aiohttp import web

from tests.fakes.centrifugo.config import EmulatorConfig, Fault
from tests.fakes.centrifugo.hub import Hub
from tests.fakes.centrifugo.keys import CONFIG_KEY, HUB_KEY
from tests.fakes.centrifugo.server import Emulator
from tests.fakes.centrifugo.websocket import SESSIONS_KEY, WS_PATH, add_websocket_route
from tests.fakes.ws_clients import close_of, connect, raw, receive, send, token_for


async def test_shutdown_says_3001() -> None:
    async with Emulator(EmulatorConfig()) as emulator:
        ws = await websockets.connect(emulator.ws_url, proxy=None, open_timeout=2)
        await connect(ws, emulator)
    try:
        assert await close_of(ws) == (3001, "shutdown")
    finally:
        await ws.close()


async def test_tracked_sockets_close_at_app_shutdown() -> None:
    """`add_websocket_route` closes sockets from on_shutdown, before handlers get cancelled."""
    app = web.Application()
    app[CONFIG_KEY], app[HUB_KEY] = EmulatorConfig(), Hub()
    add_websocket_route(app)
    runner = web.AppRunner(app, shutdown_timeout=5.0)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    url = f"ws://127.0.0.1:{port}{WS_PATH}"
    async with websockets.connect(url, proxy=None, open_timeout=2) as ws:
        await send(ws, {"id": 1, "connect": {"token": token_for(app[CONFIG_KEY])}})
        await receive(ws)
        assert len(app[SESSIONS_KEY]) == 1
        started = time.monotonic()
        await runner.cleanup()
        assert time.monotonic() - started < 1  # no waiting out shutdown_timeout
        assert await close_of(ws) == (3001, "shutdown")
    assert app[SESSIONS_KEY] == set()


@pytest.mark.parametrize(
    ("headers", "status", "body"),
    [
        ({}, 400, "Bad Request\n"),
        ({"Connection": "Upgrade", "Upgrade": "websocket"}, 400, "Bad Request\n"),
    ],
    ids=["plain_get", "no_key"],
)
async def test_handshake_refusals(
    emulator: Emulator, headers: dict[str, str], status: int, body: str
) -> None:
    async with httpx.AsyncClient(timeout=2.0) as http:
        response = await http.get(emulator.ws_url.replace("ws", "http", 1), headers=headers)
    assert (response.status_code, response.text) == (status, body)
    assert response.headers["Sec-Websocket-Version"] == "13"


async def test_post_upgrade_is_405_and_bad_origin_403(emulator: Emulator) -> None:
    url = emulator.ws_url.replace("ws", "http", 1)
    upgrade = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    }
    async with httpx.AsyncClient(timeout=2.0) as http:
        posted = await http.post(url, headers=upgrade)
        refused = await http.get(url, headers={**upgrade, "Origin": "https://x.example"})
        emulator.config.faults.add(Fault.SERVER_ERROR)
        bad_gateway = await http.get(url, headers=upgrade)
    assert posted.status_code == 405
    assert (refused.status_code, refused.text) == (403, "Forbidden\n")
    assert refused.headers["content-type"].startswith("text/plain")
    assert bad_gateway.status_code == 502


async def test_origin_refused_fault_refuses_even_allowed_origins(emulator: Emulator) -> None:
    emulator.config.allowed_origins = ["*"]
    emulator.config.faults.add(Fault.ORIGIN_REFUSED)
    with pytest.raises(websockets.InvalidStatus) as refused:
        async with raw(emulator, origin="https://app.example.com"):
            pass
    assert refused.value.response.status_code == 403
    async with raw(emulator) as ws:  # no Origin header: still fine
        await connect(ws, emulator)


async def test_slow_fault_delays_the_connect_reply(emulator: Emulator) -> None:
    emulator.config.faults.add(Fault.SLOW)
    emulator.config.slow_seconds = 0.3
    async with raw(emulator) as ws:
        started = time.monotonic()
        await connect(ws, emulator)
        assert time.monotonic() - started >= 0.3
