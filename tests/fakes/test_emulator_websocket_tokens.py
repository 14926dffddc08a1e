"""JWT outcomes on the emulator's WebSocket (reference §5): connect without a token, expired
connection tokens (error 109, then no more reading), `channels` claims, subscription tokens,
and the `refresh` command."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.fakes.centrifugo import session
from tests.fakes.centrifugo.jwt_check import mint_token
from tests.fakes.centrifugo.server import Emulator
from tests.fakes.ws_clients import CHANNEL, close_of, connect, raw, receive, send, token


@pytest.mark.parametrize(
    ("sub_claims", "secret", "expected"),
    [
        (
            {"channel": "$org:1:p", "exp": 1},
            None,
            {"error": {"code": 109, "message": "token expired"}},
        ),
        (
            {"channel": "$org:1:p"},
            "other",
            {"error": {"code": 103, "message": "permission denied"}},
        ),
        ({"channel": "$org:1:p"}, None, {"subscribe": {}}),
    ],
    ids=["expired", "bad_signature", "valid"],
)
async def test_subscription_tokens(
    emulator: Emulator, sub_claims: dict[str, Any], secret: str | None, expected: dict[str, Any]
) -> None:
    claims = {"sub": "42", **sub_claims}
    sub_token = mint_token(claims, secret or emulator.config.hmac_secret)
    async with raw(emulator) as ws:
        await connect(ws, emulator)
        await send(ws, {"id": 2, "subscribe": {"channel": "$org:1:p", "token": sub_token}})
        assert await receive(ws) == [{"id": 2, **expected}]


async def test_subscription_token_for_another_channel_closes_3500(emulator: Emulator) -> None:
    async with raw(emulator) as ws:
        await connect(ws, emulator)
        sub_token = token(emulator, channel="$org:2:p")
        await send(ws, {"id": 2, "subscribe": {"channel": "$org:1:p", "token": sub_token}})
        assert await close_of(ws) == (3500, "invalid token")


async def test_expired_connect_lingers_then_drops_without_close_frame(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(session, "LINGER_SECONDS", 0.3)
    async with raw(emulator) as ws:
        await send(ws, {"id": 1, "connect": {"token": token(emulator, exp=1)}})
        assert await receive(ws) == [{"id": 1, "error": {"code": 109, "message": "token expired"}}]
        await send(ws, {"id": 2, "subscribe": {"channel": CHANNEL}})  # no longer read
        assert await close_of(ws) is None  # 1006 on the client side


@pytest.mark.parametrize(("anonymous", "expected"), [(True, None), (False, (3501, "bad request"))])
async def test_connect_without_token(
    emulator: Emulator, anonymous: bool, expected: tuple[int, str] | None
) -> None:
    emulator.config.allow_anonymous_connect_without_token = anonymous
    async with raw(emulator) as ws:
        await send(ws, {"id": 1, "connect": {}})
        if expected is None:
            (reply,) = await receive(ws)
            assert emulator.hub.connections[reply["connect"]["client"]].user == ""
        else:
            assert await close_of(ws) == expected


async def test_unknown_namespace_in_token_channels_is_error_102(emulator: Emulator) -> None:
    # The server stops reading after a connect error: don't wait for it to answer our close.
    async with raw(emulator, close_timeout=0.05) as ws:
        await send(ws, {"id": 1, "connect": {"token": token(emulator, channels=["nope:1"])}})
        assert await receive(ws) == [
            {"id": 1, "error": {"code": 102, "message": "unknown channel"}}
        ]


async def test_refresh_extends_the_connection(emulator: Emulator) -> None:
    async with raw(emulator) as ws:
        client = (await connect(ws, emulator))["connect"]["client"]
        await send(ws, {"id": 2, "refresh": {"token": token(emulator, exp=int(time.time()) + 60)}})
        (reply,) = await receive(ws)
    refresh = reply["refresh"]
    assert (refresh["client"], refresh["version"], refresh["expires"]) == (
        client,
        emulator.config.version,
        True,
    )
    assert 50 <= refresh["ttl"] <= 60


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"exp": 1}, (3005, "connection expired")),
        ({"sub": "someone-else"}, (3500, "invalid token")),
    ],
    ids=["expired", "other_user"],
)
async def test_refresh_failures_close(
    emulator: Emulator, claims: dict[str, Any], expected: tuple[int, str]
) -> None:
    async with raw(emulator) as ws:
        await connect(ws, emulator)
        await send(ws, {"id": 2, "refresh": {"token": token(emulator, **claims)}})
        assert await close_of(ws) == expected
