"""Fixtures shared by every test: an environment scrubbed of real settings, the emulator,
and a Target pointing at it."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import pytest
from pydantic import SecretStr

from checks.target import Target
from tests.fakes.centrifugo.config import EmulatorConfig

if TYPE_CHECKING:
    from tests.fakes.centrifugo.server import Emulator

SETTING_PREFIXES = ("CENTRIFUGO_", "NEXT_PUBLIC_", "APP_", "SLACK_", "REDIS_", "BOT_", "TAIL_")


@pytest.fixture(autouse=True)
def scrubbed_env(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> Iterator[None]:
    """No test may read the developer's real settings or a stray .env."""
    for name in list(os.environ):
        if name.startswith(SETTING_PREFIXES) or name in {
            "BROWSER_ORIGIN",
            "PROBE_CHANNEL",
            "LOG_COMMAND",
            "CHECK_TIMEOUT",
            "SSL_CERT_FILE",
            "ALERT_CHANNEL",
            "SCHEDULE_INTERVAL",
            "STATE_PATH",
            "ALLOWED_CHANNEL_IDS",
            "PRIVILEGED_USER_IDS",
            "PORT",
        }:
            monkeypatch.delenv(name)
    monkeypatch.chdir(str(tmp_path))
    yield


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    from tests.fakes.centrifugo.server import Emulator

    async with Emulator(EmulatorConfig()) as server:
        yield server


def target_for(server: Emulator, **overrides: object) -> Target:
    """A Target wired to the emulator with its real API key and HMAC secret."""
    settings: dict[str, object] = {
        "centrifugo_url": server.url,
        "centrifugo_api_key": SecretStr(server.config.api_key),
        "centrifugo_token_hmac_secret_key": SecretStr(server.config.hmac_secret),
        "check_timeout": 2.0,
    }
    settings.update(overrides)
    return Target(**settings)  # type: ignore[arg-type]


@pytest.fixture
def target(emulator: Emulator) -> Target:
    return target_for(emulator)
