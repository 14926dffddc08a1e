"""`centrifugo-bot tail CHANNEL DURATION` in a real terminal process: publications as JSON lines
on stdout until the duration ends or Ctrl-C, events and the summary on stderr, exit statuses."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.bot.tail.tailing import eventually, with_test_namespace
from tests.fakes.centrifugo.server import Emulator

REPO = Path(__file__).parents[3]


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    async with Emulator(with_test_namespace()) as server:
        yield server


async def tail(emulator: Emulator, *words: str, **env: str) -> asyncio.subprocess.Process:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO),
        "CENTRIFUGO_URL": emulator.url,
        "CENTRIFUGO_API_KEY": emulator.config.api_key,
        "CENTRIFUGO_TOKEN_HMAC_SECRET_KEY": emulator.config.hmac_secret,
        "CHECK_TIMEOUT": "2",
        **env,
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "tail",
        *words,
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def finish(process: asyncio.subprocess.Process) -> tuple[int, list[dict[str, object]], str]:
    out, err = await asyncio.wait_for(process.communicate(), 20)
    lines = [json.loads(line) for line in out.decode().splitlines()]
    assert process.returncode is not None
    return process.returncode, lines, err.decode()


async def test_publications_are_json_lines_until_the_duration_ends(emulator: Emulator) -> None:
    process = await tail(emulator, "test", "2s")
    await eventually(lambda: emulator.hub.subscribers("test"), within=10)
    for n in range(3):
        await emulator.hub.publish("test", {"n": n, "html": "<b>&</b>"})
    code, lines, err = await finish(process)

    assert code == 0
    assert [(line["channel"], line["offset"], line["data"]) for line in lines] == [
        ("test", n + 1, {"n": n, "html": "<b>&</b>"}) for n in range(3)
    ]
    assert all(str(line["time"]).endswith("Z") for line in lines)
    assert "centrifugo-bot: subscribed to `test`" in err
    assert "Tail of `test` ended: duration reached.\nseen 3 · shown 3 · not shown 0" in err
    assert emulator.hub.connections == {}


async def test_ctrl_c_ends_the_tail_with_its_summary(emulator: Emulator) -> None:
    process = await tail(emulator, "test:a", "5m")
    await eventually(lambda: emulator.hub.subscribers("test:a"), within=10)
    await emulator.hub.publish("test:a", "one")
    assert process.stdout is not None
    first = json.loads(await asyncio.wait_for(process.stdout.readline(), 5))
    process.send_signal(signal.SIGINT)
    code, rest, err = await finish(process)

    assert (code, first["data"], rest) == (0, "one", [])
    assert "Tail of `test:a` ended: interrupted.\nseen 1 · shown 1" in err
    assert "Traceback" not in err


async def test_a_channel_outside_tail_channels_exits_2(emulator: Emulator) -> None:
    code, lines, err = await finish(await tail(emulator, "org:1:messages", "5s"))
    assert (code, lines) == (2, [])
    assert err.startswith("centrifugo-bot: `org:1:messages` is not open to tail and publish.")
    assert emulator.hub.connections == {}


async def test_a_subscription_centrifugo_refuses_exits_1(emulator: Emulator) -> None:
    process = await tail(emulator, "nons:x", "30s", TAIL_CHANNELS="nons:*")
    code, lines, err = await finish(process)
    assert (code, lines) == (1, [])
    assert "Centrifugo refused the subscription: 102 unknown channel" in err
    assert "ended: Centrifugo ended it (102 unknown channel" in err
