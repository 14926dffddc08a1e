"""The legacy `POST /api` envelope (reference §1.1, §1.3): method by case-insensitive name or
enum number, newline-separated commands with ids, and its 400/104 distinctions."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.fakes.centrifugo.server import Emulator


@pytest.fixture
async def api(emulator: Emulator) -> AsyncIterator[httpx.AsyncClient]:
    headers = {"X-API-Key": emulator.config.api_key}
    async with httpx.AsyncClient(base_url=emulator.url, headers=headers, timeout=5) as client:
        yield client


@pytest.mark.parametrize(
    ("command", "reply"),
    [
        ({"method": "presence_stats", "params": {"channel": "x"}}, {"num_clients": 0}),
        ({"method": "PRESENCE_STATS", "params": {"channel": "x"}}, {"num_clients": 0}),
        ({"method": 5, "params": {"channel": "x"}}, {"num_clients": 0}),
        ({"method": 8, "params": {}}, {"channels": {}}),
        ({"params": {"channel": "test", "data": 1}}, {"offset": 1}),
    ],
    ids=["name", "upper-case-name", "number", "number-8-is-channels", "absent-method-is-publish"],
)
async def test_legacy_method_by_name_or_number(
    emulator: Emulator, api: httpx.AsyncClient, command: dict[str, Any], reply: dict[str, Any]
) -> None:
    emulator.config.top_level.presence = True
    response = await api.post("/api", json=command)
    assert response.status_code == 200
    result = response.json()["result"]
    assert {key: result[key] for key in reply} == reply


async def test_legacy_unknown_method_number_is_104(api: httpx.AsyncClient) -> None:
    response = await api.post("/api", json={"method": 99, "params": {}})
    assert response.json() == {"error": {"code": 104, "message": "not found"}}


@pytest.mark.parametrize(
    "body",
    [b"", b'{"method":"ping","params":{}}', b"{nope", b'{"id":"a","method":"info"}'],
    ids=["empty", "unknown-name", "not-json", "string-id"],
)
async def test_legacy_undecodable_is_400(api: httpx.AsyncClient, body: bytes) -> None:
    response = await api.post("/api", content=body)
    assert (response.status_code, response.content) == (400, b"Bad Request\n")


async def test_legacy_newline_separated_commands_reply_per_line(api: httpx.AsyncClient) -> None:
    commands = [
        {"id": 1, "method": "publish", "params": {"channel": "nope:1", "data": 1}},
        {"id": 2, "method": "channels", "params": {}},
    ]
    body = "\n".join(json.dumps(c) for c in commands).encode()
    response = await api.post("/api", content=body)
    replies = [json.loads(line) for line in response.text.split("\n")]
    assert replies == [
        {"id": 1, "error": {"code": 102, "message": "unknown channel"}},
        {"id": 2, "result": {"channels": {}}},
    ]


async def test_legacy_route_gates_like_the_new_one(emulator: Emulator) -> None:
    async with httpx.AsyncClient(base_url=emulator.url, timeout=5) as http:
        assert (await http.get("/api")).status_code == 405
        assert (await http.post("/api", content=b"{}")).status_code == 401
