"""No configured secret ever leaves the process: every command of the grammar (plus buttons, a
mention and a direct message) runs through the HTTP app against the emulator in each fault mode,
a closed port and a silent host, with every secret set; then every Web API call, every
response_url post and every log line is searched for each secret and its first 4 characters.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from bot.grammar import COMMANDS
from bot.render.blocks import DETAILS_ACTION, FULL_ACTION, RERUN_ACTION
from tests.bot.slack.app_harness import SIGNING_SECRET, BotClient, bot_settings, serving
from tests.fakes.app_token import TOKEN_PATH, FakeApp, Mode
from tests.fakes.centrifugo.blackhole import BlackHole
from tests.fakes.centrifugo.config import EmulatorConfig, Fault
from tests.fakes.centrifugo.server import Emulator
from tests.fakes.slack import SlackStandIn, app_mention, direct_message

API_KEY = "Kq7apikey-5c1e0f4b9a2d"
HMAC = "Hm4xhmac-8e2b6d0a4c1f7e3b"
ADMIN_PASSWORD = "Pw9zadmin-3f6a1c8e"
ADMIN_SECRET = "Sx2vadmin-secret-7d4b0e9a"
APP_SESSION = "Ap5tsession-0b7c3e9f1a"
APP_COOKIE_VALUE = "Ck8ncookie-6e1d4a2b"
REDIS_PASSWORD = "Rd3wredis-pass-9c2e7f"
BOT_TOKEN = "xoxb-1-Bt6ysecret-bot-token-4a8f"
SECRETS = [
    API_KEY,
    HMAC,
    ADMIN_PASSWORD,
    ADMIN_SECRET,
    APP_SESSION,
    APP_COOKIE_VALUE,
    REDIS_PASSWORD,
    BOT_TOKEN,
    SIGNING_SECRET,
]
PRIVILEGED = "UADMIN"
# One line per grammar verb, with the arguments each needs.
WORDS = {
    "help": "help",
    "ping": "ping",
    "diagnose": "diagnose org 123",
    "check": "check server.auth org 123",
    "token": "token",
    "ws": "ws",
    "cert": "cert",
    "stats": "stats",
    "channels": "channels org:*",
    # A secret pasted by a user travels through every layer back into the answer.
    "publish": "publish test " + json.dumps({"text": "probe", "key": API_KEY}),
    "tail": "tail test 1m",
    "tail stop": "tail stop test",
    "status": "status",
    "mute": "mute 1h",
    "unmute": "unmute",
}
# The app's token endpoint misbehaves differently alongside each emulator fault.
APP_MODES = [Mode.UNAUTHORIZED, Mode.OTHER_SECRET, Mode.EXPIRED, Mode.NON_JSON, Mode.HTML]
SCENARIOS = ["healthy", *[fault.value for fault in Fault], "closed-port", "black-hole"]


def test_every_verb_is_exercised() -> None:
    assert set(WORDS) == {spec.verb for spec in COMMANDS}


@dataclass(frozen=True)
class Target:
    centrifugo_url: str
    app_token_url: str
    redis_url: str


@asynccontextmanager
async def target_for(scenario: str, stack: AsyncExitStack) -> AsyncIterator[Target]:
    closed = free_port()
    redis_url = f"redis://:{REDIS_PASSWORD}@127.0.0.1:{closed}/0"
    if scenario == "closed-port":
        yield Target(
            f"http://127.0.0.1:{closed}", f"http://127.0.0.1:{closed}{TOKEN_PATH}", redis_url
        )
        return
    if scenario == "black-hole":
        hole = await stack.enter_async_context(BlackHole())
        yield Target(
            hole.url, hole.url + TOKEN_PATH, f"redis://:{REDIS_PASSWORD}@127.0.0.1:{hole.port}/0"
        )
        return
    config = EmulatorConfig(
        api_key=API_KEY,
        hmac_secret=HMAC,
        admin_password=ADMIN_PASSWORD,
        admin_secret=ADMIN_SECRET,
        slow_seconds=2.0,
        faults=set() if scenario == "healthy" else {Fault(scenario)},
    )
    emulator = await stack.enter_async_context(Emulator(config))
    mode = (
        Mode.OK if scenario == "healthy" else APP_MODES[SCENARIOS.index(scenario) % len(APP_MODES)]
    )
    app = await stack.enter_async_context(FakeApp(HMAC, credential=APP_SESSION, mode=mode))
    yield Target(emulator.url, app.url, redis_url)


def free_port() -> int:
    """A port nothing listens on: bound, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def secret_settings(slack: SlackStandIn, target: Target) -> Any:
    log_command = f"printf 'redis: dial redis://:{REDIS_PASSWORD}@redis:6379 refused\\n'"
    return bot_settings(
        slack,
        target.centrifugo_url,
        centrifugo_api_key=API_KEY,
        centrifugo_token_hmac_secret_key=HMAC,
        centrifugo_admin_password=ADMIN_PASSWORD,
        centrifugo_admin_secret=ADMIN_SECRET,
        app_token_url=target.app_token_url,
        app_auth_header=f"Authorization: Bearer {APP_SESSION}",
        app_cookie=f"session={APP_COOKIE_VALUE}",
        redis_url=target.redis_url,
        log_command=log_command,
        browser_origin="http://localhost:3000",
        privileged_user_ids=PRIVILEGED,
        check_timeout=0.6,
    )


async def run_everything(bot: BotClient, slack: SlackStandIn) -> None:
    """Every verb as a slash command, then every button on its answer, a mention and a DM."""
    running = []
    for i, words in enumerate(WORDS.values()):
        ack = await bot.command(words, name=f"cmd{i}", user_id=PRIVILEGED)
        assert ack.status == 200
        if ack.text.startswith("Running"):  # help is answered in the ack itself
            running.append(f"cmd{i}")
    await asyncio.gather(*(slack.wait_for_response(name, timeout=15) for name in running))
    clicks = [
        (action, words)
        for words in ("diagnose org 123", "ping", "token", f"check {ADMIN_SECRET}")
        for action in (RERUN_ACTION, FULL_ACTION, DETAILS_ACTION)
    ]
    for i, (action, value) in enumerate(clicks):
        await bot.click(action, value, name=f"btn{i}", user_id=PRIVILEGED)
    for ts, event in [
        ("1700000000.000001", app_mention("<@UBOT> diagnose org 123", ts="1700000000.000001")),
        ("1700000000.000002", direct_message(f"check {HMAC}", ts="1700000000.000002")),
        ("1700000000.000003", direct_message("token", ts="1700000000.000003")),
    ]:
        slack.workspace.messages[(event["channel"], ts)] = {"type": "message", "ts": ts, "text": ""}
        await bot.event(event, f"Ev{ts}")
    await asyncio.gather(
        *(slack.wait_for_response(f"btn{i}", timeout=15) for i in range(len(clicks)))
    )
    await slack.wait_for("reactions.add", count=6, timeout=15)


def outbound(slack: SlackStandIn) -> list[str]:
    """Everything the bot sent Slack: Web API arguments and response_url bodies (Authorization
    headers excluded: that is where the bot token must go)."""
    sent = [json.dumps(call.args, ensure_ascii=False) for call in slack.calls]
    sent += [json.dumps(posts, ensure_ascii=False) for posts in slack.responses.values()]
    return sent


def leaks(texts: list[str]) -> list[tuple[str, str]]:
    found = []
    for secret in SECRETS:
        for text in texts:
            if secret[:4] in text:  # the redactor keeps 3 leading characters, never 4
                start = text.index(secret[:4])
                found.append((secret[:4], text[max(0, start - 60) : start + 60]))
    return found


@pytest.mark.parametrize("scenario", SCENARIOS)
async def test_no_secret_leaves_in_any_payload_or_log(
    scenario: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with AsyncExitStack() as stack:
        slack = await stack.enter_async_context(SlackStandIn(bot_token=BOT_TOKEN))
        target = await stack.enter_async_context(target_for(scenario, stack))
        bot = await stack.enter_async_context(serving(secret_settings(slack, target), slack))
        await run_everything(bot, slack)
    sent = outbound(slack)
    assert len(sent) > len(WORDS)  # the run really answered (acks excluded)
    logs = [record.getMessage() for record in caplog.records] + [caplog.text]
    assert leaks(sent) == []
    assert leaks(logs) == []


async def test_acks_are_redacted_too(caplog: pytest.LogCaptureFixture) -> None:
    """An ack is the HTTP response itself: a secret pasted as a command word is masked."""
    async with (
        SlackStandIn(bot_token=BOT_TOKEN) as slack,
        serving(
            secret_settings(slack, Target(f"http://127.0.0.1:{free_port()}", "", "")), slack
        ) as bot,
    ):
        ack = await bot.command(f"check {API_KEY}")
    assert API_KEY[:4] not in ack.text and "Unknown check" in ack.text
