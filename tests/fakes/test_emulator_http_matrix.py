"""The emulator's raw HTTP status/body matrix (reference §0, §1.2, §1.3): Go-style 404 for
non-routes, 405 before the key, key precedence, 400 for undecodable bodies, semantic errors as
HTTP 200 and the transport error mode's mapping."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.fakes.centrifugo.config import EmulatorConfig
from tests.fakes.centrifugo.server import Emulator

NOT_FOUND = b"404 page not found\n"


@pytest.fixture
async def http(emulator: Emulator) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=emulator.url, timeout=5) as client:
        yield client


def key_of(emulator: Emulator) -> dict[str, str]:
    return {"X-API-Key": emulator.config.api_key}


@pytest.mark.parametrize("path", ["/api/ping", "/api/stats", "/api/", "/api/info/", "/admin"])
@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_non_routes_are_go_404_whatever_method_or_key(
    emulator: Emulator, http: httpx.AsyncClient, path: str, method: str
) -> None:
    response = await http.request(method, path, headers=key_of(emulator), content=b"{}")
    assert (response.status_code, response.content) == (404, NOT_FOUND)
    assert response.headers["content-type"] == "text/plain; charset=utf-8"


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
async def test_non_post_on_a_real_route_is_empty_405_before_the_key(
    http: httpx.AsyncClient, method: str
) -> None:
    response = await http.request(method, "/api/info")
    assert (response.status_code, response.content) == (405, b"")
    assert "allow" not in response.headers


@pytest.mark.parametrize(
    ("headers", "query", "status"),
    [
        ({}, "", 401),
        ({"X-API-Key": "K"}, "", 200),
        ({"X-API-Key": "wrong", "Authorization": "apikey K"}, "", 401),
        ({"Authorization": "apikey K"}, "", 200),
        ({"Authorization": "ApiKey K"}, "", 200),
        ({"Authorization": "Bearer K"}, "", 401),
        ({"Authorization": "apikey K extra"}, "", 401),
        ({}, "?api_key=K", 200),
        ({"X-API-Key": "wrong"}, "?api_key=K", 200),
        ({}, "?api_key=wrong", 401),
    ],
    ids=[
        "no-key",
        "x-api-key",
        "wrong-x-api-key-beats-authorization",
        "authorization-apikey",
        "scheme-case-insensitive",
        "other-scheme",
        "three-parts",
        "query",
        "query-after-wrong-header",
        "wrong-query",
    ],
)
async def test_key_precedence(headers: dict[str, str], query: str, status: int) -> None:
    async with (
        Emulator(EmulatorConfig(api_key="K")) as emu,
        httpx.AsyncClient(base_url=emu.url, timeout=5) as http,
    ):
        response = await http.post(f"/api/info{query}", headers=headers, content=b"{}")
    assert response.status_code == status
    if status == 401:
        assert response.content == b""


@pytest.mark.parametrize(
    "body", [b"", b"not json", b"[1]", b'{"channel": 5}', b'{"limit": "1"}'], ids=repr
)
async def test_undecodable_body_is_400(
    emulator: Emulator, http: httpx.AsyncClient, body: bytes
) -> None:
    response = await http.post("/api/history", headers=key_of(emulator), content=body)
    assert (response.status_code, response.content) == (400, b"Bad Request\n")


@pytest.mark.parametrize(
    ("body", "reply"),
    [
        ({"data": 1}, {"error": {"code": 107, "message": "bad request"}}),
        ({"channel": "test"}, {"error": {"code": 107, "message": "bad request"}}),
        ({"channel": "nope:x", "data": 1}, {"error": {"code": 102, "message": "unknown channel"}}),
        ({"channel": "test", "data": 1, "skip_history": True}, {"result": {}}),
    ],
    ids=["no-channel", "no-data", "unknown-namespace", "skip-history"],
)
async def test_publish_semantic_errors_are_http_200(
    emulator: Emulator, http: httpx.AsyncClient, body: dict[str, Any], reply: dict[str, Any]
) -> None:
    response = await http.post("/api/publish", headers=key_of(emulator), json=body)
    assert (response.status_code, response.json()) == (200, reply)
    assert response.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"channel": "nope:x", "data": 1}, 404, {"code": 102, "message": "unknown channel"}),
        ({"channel": "", "data": 1}, 400, {"code": 107, "message": "bad request"}),
        ({"channel": "org:1"}, 400, {"code": 107, "message": "bad request"}),
    ],
    ids=["102-404", "107-400", "no-data-400"],
)
async def test_transport_error_mode_maps_codes_to_statuses(
    emulator: Emulator, http: httpx.AsyncClient, body: dict[str, Any], status: int, error: Any
) -> None:
    headers = {**key_of(emulator), "X-Centrifugo-Error-Mode": "transport"}
    response = await http.post("/api/publish", headers=headers, json=body)
    assert (response.status_code, response.json()) == (status, error)


async def test_transport_error_mode_from_the_config_needs_no_header(
    emulator: Emulator, http: httpx.AsyncClient
) -> None:
    emulator.config.transport_error_mode = True

    refused = await http.post("/api/publish", headers=key_of(emulator), json={"channel": "x:y"})
    published = await http.post(
        "/api/publish", headers=key_of(emulator), json={"channel": "test", "data": 1}
    )

    assert (refused.status_code, refused.json()) == (
        400,
        {"code": 107, "message": "bad request"},
    )
    assert published.status_code == 200
