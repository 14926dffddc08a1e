"""`publish CHANNEL JSON`: only to TAIL_CHANNELS, size-limited, answered with the stream position,
and every way the HTTP API can fail explained, in English and Portuguese."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bot.answers import Notice, NoticeKind
from bot.grammar import MAX_DATA_BYTES, Publish
from bot.handle import handle
from bot.publish import publish_command
from bot.redact import Redactor
from bot.services import Origin, Services
from tests.bot.tail.tailing import settings_for, with_test_namespace
from tests.fakes.centrifugo.config import Fault
from tests.fakes.centrifugo.server import Emulator, closed_port


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    async with Emulator(with_test_namespace()) as server:
        yield server


async def test_published_with_offset_and_epoch(emulator: Emulator) -> None:
    notice = await publish_command(Publish("test", {"text": "hi"}), settings_for(emulator))
    epoch = emulator.hub.epochs["test"]
    assert notice == Notice("Published to `test`", f"offset 1, epoch `{epoch}`", public=True)
    assert emulator.hub.published == [("test", {"text": "hi"})]


@pytest.fixture
async def no_history() -> AsyncIterator[Emulator]:
    async with Emulator(with_test_namespace(history_size=0)) as server:
        yield server


async def test_channel_without_history_has_no_position(no_history: Emulator) -> None:
    notice = await publish_command(Publish("test:a", [1, 2]), settings_for(no_history))
    assert notice.kind is NoticeKind.INFO
    assert notice.body == "accepted; the channel keeps no history, so there is no offset"


@pytest.mark.parametrize(
    ("channel", "patterns", "allowed"),
    [
        pytest.param("test", ("test", "test:*"), True, id="exact"),
        pytest.param("test:qa:1", ("test", "test:*"), True, id="star-crosses-colons"),
        pytest.param("chat:123", ("test", "test:*"), False, id="other-namespace"),
        pytest.param("testing", ("test", "test:*"), False, id="prefix-is-not-a-match"),
        pytest.param("TEST", ("test",), False, id="case-matters"),
        pytest.param("qa-7", ("qa-?",), True, id="custom-pattern"),
        pytest.param("test", (), False, id="nothing-allowed"),
    ],
)
async def test_only_tail_channels_are_published_to(
    emulator: Emulator, channel: str, patterns: tuple[str, ...], allowed: bool
) -> None:
    settings = settings_for(emulator, tail_channels=patterns)
    notice = await publish_command(Publish(channel, {"n": 1}), settings)
    if allowed:
        assert notice.title == f"Published to `{channel}`"
        assert emulator.hub.published == [(channel, {"n": 1})]
    else:
        assert (notice.kind, notice.public) == (NoticeKind.REFUSED, False)
        assert notice.title == f"`{channel}` is not open to tail and publish"
        assert "TAIL_CHANNELS allows" in notice.body
        assert emulator.hub.published == []


@pytest.mark.parametrize("channel", ["org:123:messages", "$org:123:tickets"])
async def test_org_channels_are_never_published_to_even_when_allowed(
    emulator: Emulator, channel: str
) -> None:
    settings = settings_for(emulator, tail_channels=("test", "org:*", "$org:*"))
    notice = await publish_command(Publish(channel, {"n": 1}), settings)
    assert (notice.kind, notice.public) == (NoticeKind.REFUSED, False)
    assert notice.title == f"`{channel}` is an org channel: the bot never publishes there"
    assert emulator.hub.published == []


async def test_too_big_is_refused_before_any_call(emulator: Emulator) -> None:
    """The parser holds the limit: a `Publish` over it is never built, so never sent."""
    settings = settings_for(emulator, privileged_user_ids=("U1",))
    # Short enough for a command (1000 characters), yet 8402 bytes as clients encode it.
    data = '"' + "😀" * 700 + '"'
    services = Services(settings, Redactor())
    notice = await handle(f"publish test {data}", Origin("U1", "C1"), services)
    assert isinstance(notice, Notice) and notice.kind is NoticeKind.USAGE
    assert notice.title == f"JSON too big: 8402 bytes encoded, the limit is {MAX_DATA_BYTES}."
    assert emulator.hub.published == []


@pytest.mark.parametrize(
    ("overrides", "fault", "channel", "says"),
    [
        pytest.param(
            {"centrifugo_api_key": SecretStr("wrong-key")},
            None,
            "test",
            "Centrifugo refused the API key (HTTP 401): check CENTRIFUGO_API_KEY "
            "(Centrifugo v6 reads CENTRIFUGO_HTTP_API_KEY, not the v5 name).",
            id="401",
        ),
        pytest.param(
            {},
            Fault.BROKER_DOWN,
            "test",
            "error 100 internal server error: usually the broker (Redis) is unreachable.",
            id="broker-down",
        ),
        pytest.param(
            {"tail_channels": ("nons:*",)},
            None,
            "nons:x",
            "error 102 unknown channel: the channel's namespace is not configured in Centrifugo.",
            id="unknown-namespace",
        ),
        pytest.param({}, Fault.SERVER_ERROR, "test", "Centrifugo answered HTTP 502.", id="502"),
        pytest.param(
            {},
            Fault.NON_JSON,
            "test",
            "Unexpected answer from Centrifugo: not JSON (text/html)",
            id="html",
        ),
    ],
)
async def test_failures_are_explained(
    emulator: Emulator,
    overrides: dict[str, Any],
    fault: Fault | None,
    channel: str,
    says: str,
) -> None:
    if fault is not None:
        emulator.config.faults.add(fault)
    notice = await publish_command(Publish(channel, {"n": 1}), settings_for(emulator, **overrides))
    assert notice == Notice(f"Publishing to `{channel}` failed", says, NoticeKind.ERROR, True)


async def test_wrong_prefix_is_a_404_naming_the_url(emulator: Emulator) -> None:
    settings = settings_for(emulator, centrifugo_url=emulator.url + "/nested")
    notice = await publish_command(Publish("test", 1), settings)
    assert notice.body.startswith(f"HTTP 404 at {emulator.url}/nested/api/publish:")


async def test_unreachable_server(emulator: Emulator) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    notice = await publish_command(Publish("test", 1), settings_for(emulator, centrifugo_url=url))
    assert notice.kind is NoticeKind.ERROR
    assert notice.body.startswith(f"Cannot reach Centrifugo at {url}/api/publish: ")


async def test_slow_server_is_no_answer(emulator: Emulator) -> None:
    emulator.config.faults.add(Fault.SLOW)
    emulator.config.slow_seconds = 1.0
    notice = await publish_command(Publish("test", 1), settings_for(emulator, check_timeout=0.2))
    assert notice.body == f"No answer from Centrifugo at {emulator.url}/api/publish within 0.2s."


async def test_portuguese(emulator: Emulator) -> None:
    settings = settings_for(emulator, bot_language="pt-BR")
    ok = await publish_command(Publish("test", {}), settings)
    refused = await publish_command(Publish("chat:1", {}), settings)
    org = await publish_command(Publish("org:1:messages", {}), settings)
    assert ok.title == "Publicado em `test`"
    assert refused.title == "`chat:1` não está liberado para tail e publish"
    assert org.title == "`org:1:messages` é um canal de org: o bot nunca publica nele"


async def test_from_the_terminal(emulator: Emulator) -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(Path(__file__).parents[2]),
        "CENTRIFUGO_URL": emulator.url,
        "CENTRIFUGO_API_KEY": emulator.config.api_key,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "publish",
        "test",
        '{"text": "hi"}',
        env=env,
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await asyncio.wait_for(process.communicate(), 20)
    epoch = emulator.hub.epochs["test"]
    assert process.returncode == 0
    assert out.decode() == f"Published to `test`\noffset 1, epoch `{epoch}`\n"
    assert emulator.hub.published == [("test", {"text": "hi"})]
