"""Shared by the tail and publish tests: an emulator with the `test` namespace that TAIL_CHANNELS'
default `test:*` implies, settings pointing at it, server-side disconnects, and polling."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from pydantic import SecretStr

from bot.settings import Settings
from tests.fakes.centrifugo.config import EmulatorConfig, Namespace
from tests.fakes.centrifugo.protocol import Disconnect
from tests.fakes.centrifugo.server import Emulator
from tests.fakes.centrifugo.websocket import SESSIONS_KEY


def with_test_namespace(history_size: int = 10) -> EmulatorConfig:
    config = EmulatorConfig(top_level=Namespace("", history_size=history_size))
    config.namespaces["test"] = Namespace("test", history_size=history_size)
    return config


def settings_for(emulator: Emulator, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "centrifugo_url": emulator.url,
        "centrifugo_api_key": SecretStr(emulator.config.api_key),
        "centrifugo_token_hmac_secret_key": SecretStr(emulator.config.hmac_secret),
        "check_timeout": 2.0,
        **overrides,
    }
    return Settings(**values)


async def disconnect_all(emulator: Emulator, code: int = 3001, reason: str = "shutdown") -> int:
    """Close every live WebSocket from the server side, as Centrifugo does (a close frame with
    the disconnect code); returns how many were closed."""
    assert emulator._runner is not None, "the emulator is running"
    sessions = list(emulator._runner.app[SESSIONS_KEY])
    await asyncio.gather(*(s.close(Disconnect(code, reason)) for s in sessions))
    return len(sessions)


async def eventually(condition: Callable[[], object], within: float = 5.0) -> None:
    """Until `condition()` is truthy; fails naming nothing more than the timeout."""
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110 (polling state that has no event to wait on)
            await asyncio.sleep(0.01)
