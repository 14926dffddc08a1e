"""`make demo`: a real diagnosis with no setup at all.

Starts, on loopback, the Centrifugo emulator, a stand-in for the app's token endpoint, a
subscribed "browser" for org 123 and (when installed) a real redis-server, then runs
`centrifugo-bot WORDS...` against them as a separate process, exactly as a user would.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.fakes.app_token import FakeApp
from tests.fakes.centrifugo.config import EmulatorConfig
from tests.fakes.centrifugo.listener import listen
from tests.fakes.centrifugo.server import Emulator
from tests.redis_server import RedisServer

ORIGIN = "http://localhost:3000"
APP_SESSION = "demo-session"


async def run_demo(words: list[str]) -> int:
    config = EmulatorConfig(allowed_origins=[ORIGIN])
    async with (
        Emulator(config) as emulator,
        FakeApp(config.hmac_secret, credential=APP_SESSION) as app,
    ):
        listen(emulator.hub, "42", "org:123:messages", "org:123:tickets")
        with _redis() as redis_url:
            env = _environment(emulator, app, redis_url)
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.cli", *words, env=env
            )
            return await process.wait()


def _environment(emulator: Emulator, app: FakeApp, redis_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CENTRIFUGO_", "APP_"))}
    env.update(
        CENTRIFUGO_URL=emulator.url,
        CENTRIFUGO_API_KEY=emulator.config.api_key,
        CENTRIFUGO_TOKEN_HMAC_SECRET_KEY=emulator.config.hmac_secret,
        APP_TOKEN_URL=app.url,
        APP_AUTH_HEADER=f"Authorization: Bearer {APP_SESSION}",
        BROWSER_ORIGIN=ORIGIN,
        CHECK_TIMEOUT=env.get("CHECK_TIMEOUT", "3"),
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


@contextlib.contextmanager
def _redis() -> Iterator[str | None]:
    if shutil.which("redis-server") is None:
        yield None  # the redis check then reports "not configured: REDIS_URL"
        return
    with tempfile.TemporaryDirectory(prefix="centrifugo-bot-demo-") as workdir:
        server = RedisServer(Path(workdir)).start()
        try:
            yield server.url()
        finally:
            server.stop()


def main() -> int:
    words = sys.argv[1:] or ["diagnose", "org", "123"]
    print(f"demo: emulated Centrifugo on loopback; running `centrifugo-bot {' '.join(words)}`\n")
    return asyncio.run(run_demo(words))


if __name__ == "__main__":
    sys.exit(main())
