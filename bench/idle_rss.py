"""Bar: an idle `serve` stays under 150 MB resident.

Runs the bot as its own process, in HTTP mode and in Socket Mode (against the Slack stand-in),
and reads its VmRSS from /proc: once started and idle, then idle again after it has answered a
full `diagnose org 123` (the check modules and their clients are loaded by then). Prints its
figures; exits 1 when the bar is missed.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import aiohttp

from bench.bot_process import SIGNING_SECRET, BotProcess, bot_environment, bot_process
from tests.fakes.centrifugo.config import EmulatorConfig
from tests.fakes.centrifugo.server import Emulator
from tests.fakes.slack import APP_TOKEN, SlackStandIn, signed_headers, slash_command_body

BAR_MB = 150.0
IDLE_SECONDS = 2.0


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


async def diagnose_once(bot: BotProcess, slack: SlackStandIn, socket_mode: bool) -> None:
    url = slack.response_url("rss")
    if socket_mode:
        from tests.fakes.slack import slash_command_payload

        await slack.wait_connected()
        payload = slash_command_payload("diagnose org 123", response_url=url)
        await slack.send_envelope("slash_commands", payload)
    else:
        body = slash_command_body("diagnose org 123", response_url=url)
        async with (
            aiohttp.ClientSession() as http,
            http.post(
                bot.url + "/slack/events", data=body, headers=signed_headers(body, SIGNING_SECRET)
            ) as answer,
        ):
            answer.raise_for_status()
    await slack.wait_for_response("rss", timeout=30)


async def measure(socket_mode: bool) -> tuple[float, float]:
    async with SlackStandIn() as slack, Emulator(EmulatorConfig()) as emulator:
        env = bot_environment(slack, emulator)
        if socket_mode:
            env["SLACK_APP_TOKEN"] = APP_TOKEN
            del env["SLACK_SIGNING_SECRET"]
        async with bot_process(env) as bot:
            await asyncio.sleep(IDLE_SECONDS)
            started = rss_mb(bot.pid)
            await diagnose_once(bot, slack, socket_mode)
            await asyncio.sleep(IDLE_SECONDS)
            return started, rss_mb(bot.pid)


def main() -> int:
    worst = 0.0
    for mode, socket_mode in (("HTTP", False), ("Socket Mode", True)):
        started, after = asyncio.run(measure(socket_mode))
        worst = max(worst, started, after)
        print(
            f"serve ({mode}): idle RSS {started:.1f} MB after start, "
            f"{after:.1f} MB idle after a full diagnosis"
        )
    met = worst < BAR_MB
    print(f"bar (idle RSS < {BAR_MB:.0f} MB): {'met' if met else 'MISSED'} (worst {worst:.1f} MB)")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
