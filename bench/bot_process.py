"""The bot as its own process for the benches, exactly as `centrifugo-bot serve` runs it but
bound to loopback: `python -m bench.bot_process` (settings from the environment), and
`bot_process(env)`, which starts it, waits for /healthz and stops it with SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiohttp

from tests.fakes.centrifugo.server import Emulator
from tests.fakes.slack import SlackStandIn

START_TIMEOUT = 20.0
STOP_TIMEOUT = 20.0
SIGNING_SECRET = "bench-signing-secret"


@dataclass(frozen=True)
class BotProcess:
    pid: int
    url: str


def bot_environment(slack: SlackStandIn, emulator: Emulator, **extra: str) -> dict[str, str]:
    """Settings of a bot in HTTP mode wired to the Slack stand-in and the emulator."""
    return {
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "CENTRIFUGO_URL": emulator.url,
        "CENTRIFUGO_API_KEY": emulator.config.api_key,
        "CENTRIFUGO_TOKEN_HMAC_SECRET_KEY": emulator.config.hmac_secret,
        "CHECK_TIMEOUT": "5",
        **extra,
    }


def run_bar(measure: Callable[[], Awaitable[bool]], deadline: float) -> int:
    """Exit status of a bench: 0 when its bar is met, 1 when missed; never past `deadline` s."""

    async def bounded() -> bool:
        async with asyncio.timeout(deadline):
            return await measure()

    return 0 if asyncio.run(bounded()) else 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def bot_process(env: dict[str, str]) -> AsyncIterator[BotProcess]:
    port = free_port()
    full = {**os.environ, **env, "PORT": str(port)}
    with tempfile.TemporaryFile() as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.bot_process", env=full, stdout=log, stderr=log
        )
        url = f"http://127.0.0.1:{port}"
        try:
            await _wait_healthy(url, process)
            yield BotProcess(process.pid, url)
        except BaseException:
            log.seek(0)
            print(log.read().decode(errors="replace")[-3000:], file=sys.stderr)
            raise
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
                try:
                    await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
                except TimeoutError:
                    process.kill()
                    await process.wait()


async def _wait_healthy(url: str, process: asyncio.subprocess.Process) -> None:
    async with asyncio.timeout(START_TIMEOUT), aiohttp.ClientSession() as http:
        while process.returncode is None:
            try:
                async with http.get(url + "/healthz") as answer:
                    if answer.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
    raise RuntimeError(f"the bot exited with {process.returncode} before it was healthy")


def main() -> int:
    from bot.settings import load_settings
    from bot.slack.app import serve

    return serve(load_settings(), host="127.0.0.1")


if __name__ == "__main__":
    sys.exit(main())
