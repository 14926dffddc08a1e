"""The emulator's other HTTP faces (reference §2): /health, the admin UI and its probes at the
configured prefix, the proxy-level faults (502, slow) and clean shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.fakes.centrifugo.blackhole import BlackHole
from tests.fakes.centrifugo.config import V5, EmulatorConfig, Fault
from tests.fakes.centrifugo.server import Emulator

NOT_FOUND = (404, b"404 page not found\n")


@contextlib.asynccontextmanager
async def serving(config: EmulatorConfig) -> AsyncIterator[httpx.AsyncClient]:
    """An emulator with `config` and a client for it, both closed on exit."""
    async with Emulator(config) as emu, httpx.AsyncClient(base_url=emu.url, timeout=5) as http:
        yield http


@pytest.fixture
async def http(emulator: Emulator) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=emulator.url, timeout=5) as client:
        yield client


def seen(response: httpx.Response) -> tuple[int, bytes]:
    return response.status_code, response.content


@pytest.mark.parametrize("method", ["GET", "POST", "HEAD"])
async def test_health_is_empty_json_for_any_method(http: httpx.AsyncClient, method: str) -> None:
    response = await http.request(method, "/health")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    if method != "HEAD":
        assert response.json() == {}


async def test_health_disabled_is_404(emulator: Emulator, http: httpx.AsyncClient) -> None:
    emulator.config.health_enabled = False
    assert seen(await http.get("/health")) == NOT_FOUND


async def test_admin_ui_lives_at_root_by_default(http: httpx.AsyncClient) -> None:
    root = await http.get("/")
    assert root.status_code == 200 and root.headers["content-type"].startswith("text/html")
    assert '<div id="root"></div>' in root.text and "<title>Centrifugo</title>" in root.text
    assert seen(await http.get("/admin")) == NOT_FOUND
    assert seen(await http.get("/admin/")) == NOT_FOUND
    assert seen(await http.get("/favicon.nope")) == NOT_FOUND


async def test_admin_ui_under_admin_prefix() -> None:
    async with serving(EmulatorConfig(admin_prefix="/admin")) as http:
        assert seen(await http.get("/")) == NOT_FOUND
        redirect = await http.get("/admin")
        assert (redirect.status_code, redirect.headers["location"]) == (301, "/admin/")
        assert "Centrifugo" in (await http.get("/admin/")).text
        assert (await http.get("/admin/admin/init")).json()["edition"] == "oss"


async def test_admin_disabled_makes_root_404(emulator: Emulator, http: httpx.AsyncClient) -> None:
    emulator.config.admin_enabled = False
    assert seen(await http.get("/")) == NOT_FOUND


@pytest.mark.parametrize(
    ("version", "probe", "body"),
    [
        (V5, "/admin/settings", {"edition": "oss", "insecure": False}),
        ("6.5.1 OSS", "/admin/settings", {"edition": "oss", "insecure": False}),
        ("6.5.2 OSS", "/admin/init", {"edition": "oss", "insecure": False}),
        ("6.9.1 OSS", "/admin/init", {"authenticated": False, "edition": "oss", "insecure": False}),
    ],
)
async def test_admin_probe_follows_the_version(version: str, probe: str, body: object) -> None:
    other = "/admin/init" if probe == "/admin/settings" else "/admin/settings"
    async with serving(EmulatorConfig(version=version)) as http:
        response = await http.get(probe)
        assert (response.status_code, response.json()) == (200, body)
        assert seen(await http.get(other)) == NOT_FOUND


async def test_admin_login_gives_a_token_that_authenticates(
    emulator: Emulator, http: httpx.AsyncClient
) -> None:
    assert seen(await http.post("/admin/auth", data={"password": "wrong"})) == (
        400,
        b"Bad Request\n",
    )
    assert (await http.get("/admin/auth")).status_code == 405
    login = await http.post("/admin/auth", data={"password": emulator.config.admin_password})
    token = login.json()["token"]
    auth = {"Authorization": f"token {token}"}
    assert (await http.get("/admin/init", headers=auth)).json()["authenticated"] is True
    legacy = await http.post("/admin/api", headers=auth, json={"method": "info", "params": {}})
    assert "nodes" in legacy.json()["result"]
    assert (await http.post("/admin/api", json={"method": "info"})).status_code == 401


@pytest.mark.parametrize("path", ["/api/info", "/health", "/", "/connection/websocket"])
async def test_server_error_fault_is_a_proxy_502_everywhere(
    emulator: Emulator, http: httpx.AsyncClient, path: str
) -> None:
    emulator.config.faults.add(Fault.SERVER_ERROR)
    assert seen(await http.post(path, content=b"{}")) == (502, b"Bad Gateway")
    emulator.config.faults.clear()
    assert (await http.get("/health")).status_code == 200


async def test_slow_fault_delays_answers_and_gives_up_with_the_client() -> None:
    config = EmulatorConfig(slow_seconds=0.3, faults={Fault.SLOW})
    async with serving(config) as http:
        started = time.monotonic()
        assert (await http.get("/health")).status_code == 200
        assert time.monotonic() - started >= 0.3
        config.slow_seconds = 30
        with pytest.raises(httpx.ReadTimeout):
            await http.get("/health", timeout=0.1)
        started = time.monotonic()
    assert time.monotonic() - started < 2  # closing does not wait out the 30 s sleep


async def test_closing_drops_open_connections_and_frees_the_port() -> None:
    async with Emulator() as emu:
        reader, writer = await asyncio.open_connection("127.0.0.1", emu.port)
        writer.write(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        assert (await reader.readline()).startswith(b"HTTP/1.1 200")
    # Closed from the server side: the rest of the answer, then EOF (no read timeout).
    assert (await asyncio.wait_for(reader.read(), 2)).endswith(b"{}")
    writer.close()
    await writer.wait_closed()
    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", emu.port)


async def test_black_hole_holds_connections_silently_until_closed() -> None:
    async with BlackHole() as hole:
        reader, writer = await asyncio.open_connection("127.0.0.1", hole.port)
        writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(reader.read(1), 0.2)
        assert hole.connections == 1
    # Dropped with our bytes unread, so the kernel answers with a reset rather than EOF.
    with contextlib.suppress(ConnectionResetError):
        assert await asyncio.wait_for(reader.read(), 2) == b""
    writer.close()
    with contextlib.suppress(ConnectionResetError):
        await writer.wait_closed()
    assert hole.url.startswith("http://127.0.0.1:") and hole.ws_url.startswith("ws://")
