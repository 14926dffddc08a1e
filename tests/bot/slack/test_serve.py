"""`centrifugo-bot serve` as an operator meets it: it refuses to start without what it needs
(empty values in .env count as missing, so HTTP mode never runs unverified), and on SIGTERM a
real process lets the command in flight finish and exits 0."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import tempfile
from typing import Any

import aiohttp
import pytest

from bot.settings import load_settings
from bot.slack.app import missing_slack_setting, serve, uses_socket_mode
from tests.bot.slack.app_harness import SIGNING_SECRET, bot_settings, serving
from tests.fakes.centrifugo.config import Fault
from tests.fakes.centrifugo.server import Emulator
from tests.fakes.slack import SlackStandIn, signed_headers, slash_command_body

HTTP = {"slack_bot_token": "xoxb-1", "slack_signing_secret": "s3cret"}
SOCKET = {"slack_bot_token": "xoxb-1", "slack_app_token": "xapp-1-A"}


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        (HTTP, None),
        (SOCKET, None),
        ({**SOCKET, "slack_signing_secret": ""}, None),
        ({}, "SLACK_BOT_TOKEN is required"),
        ({**HTTP, "slack_bot_token": ""}, "SLACK_BOT_TOKEN is required"),
        ({"slack_bot_token": "xoxb-1"}, "SLACK_SIGNING_SECRET is required in HTTP mode"),
        ({**HTTP, "slack_signing_secret": "", "slack_app_token": ""}, "SLACK_SIGNING_SECRET"),
        ({**SOCKET, "slack_app_token": "xoxb-wrong-kind"}, "SLACK_APP_TOKEN must be"),
    ],
    ids=[
        "http",
        "socket",
        "socket-no-secret",
        "nothing",
        "empty-bot-token",
        "http-no-secret",
        "empty-app-token-and-secret",
        "bot-token-as-app-token",
    ],
)
def test_what_serve_needs(values: dict[str, str], problem: str | None) -> None:
    found = missing_slack_setting(load_settings(**values))
    assert found == problem if problem is None else (found or "").startswith(problem)


def test_an_empty_app_token_means_http_mode() -> None:
    assert not uses_socket_mode(load_settings(**HTTP, slack_app_token=""))
    assert uses_socket_mode(load_settings(**SOCKET))


def test_serve_refuses_to_start_and_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    assert serve(load_settings(slack_bot_token="xoxb-1", slack_signing_secret="")) == 2
    assert capsys.readouterr().err == (
        "centrifugo-bot: configuration error: SLACK_SIGNING_SECRET is required in HTTP mode "
        "(or set SLACK_APP_TOKEN)\n"
    )


async def test_an_empty_app_token_still_verifies_signatures(emulator: Emulator) -> None:
    async with SlackStandIn() as slack:
        settings = bot_settings(slack, emulator.url, slack_app_token="")
        async with serving(settings, slack) as bot:
            body = slash_command_body("ping", response_url=slack.response_url("r1"))
            assert (await bot.post(body, signed_headers(body, "forged"))).status == 401
            assert (await bot.post(body, signed_headers(body, SIGNING_SECRET))).status == 200


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


SERVE = "import sys; from bot.slack.app import serve; from bot.settings import load_settings; "
SERVE += "sys.exit(serve(load_settings(), host='127.0.0.1'))"


async def wait_healthy(url: str, process: Any) -> None:
    async with asyncio.timeout(20), aiohttp.ClientSession() as http:
        while process.returncode is None:
            try:
                async with http.get(url + "/healthz") as answer:
                    if answer.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
    raise AssertionError(f"serve exited with {process.returncode}")


async def test_sigterm_lets_the_command_in_flight_finish(emulator: Emulator) -> None:
    emulator.config.faults.add(Fault.SLOW)
    emulator.config.slow_seconds = 1.0
    port = free_port()
    async with SlackStandIn() as slack:
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": slack.bot_token,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack.api_url,
            "CENTRIFUGO_URL": emulator.url,
            "CHECK_TIMEOUT": "5",
            "PORT": str(port),
        }
        with tempfile.TemporaryFile() as log:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-c", SERVE, env=env, stdout=log, stderr=log, cwd=os.getcwd()
            )
            try:
                url = f"http://127.0.0.1:{port}"
                await wait_healthy(url, process)
                body = slash_command_body("ping", response_url=slack.response_url("r1"))
                async with (
                    aiohttp.ClientSession() as http,
                    http.post(
                        url + "/slack/events",
                        data=body,
                        headers=signed_headers(body, SIGNING_SECRET),
                    ) as ack,
                ):
                    assert ack.status == 200
                process.send_signal(signal.SIGTERM)
                assert await asyncio.wait_for(process.wait(), 15) == 0
            finally:
                if process.returncode is None:
                    process.kill()
                    await process.wait()
            log.seek(0)
            output = log.read().decode()
    [answer] = slack.responses["r1"]
    assert answer["response_type"] == "in_channel" and "ping" in answer["text"]
    assert "stopping: no new commands; waiting for running ones" in output
