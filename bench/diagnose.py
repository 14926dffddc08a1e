"""Bars of the foundation and real-time issues, measured against the emulator on loopback:

1. healthy `diagnose org 123`: wall time <= 1.5 x the slowest single check + 100 ms;
2. black hole (API and WebSocket) with CHECK_TIMEOUT=2: returns within 3 s, every check present;
3. `centrifugo-bot help` answers in under 1 s (a fresh process, imports included).

Prints its figures; exits 1 when a bar is missed.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pydantic import SecretStr

from checks.catalogue import catalogue
from checks.runner import run_checks
from checks.target import Target
from tests.fakes.app_token import FakeApp
from tests.fakes.centrifugo.blackhole import BlackHole
from tests.fakes.centrifugo.config import EmulatorConfig
from tests.fakes.centrifugo.listener import listen
from tests.fakes.centrifugo.server import Emulator
from tests.redis_server import RedisServer

ROUNDS = 7
ORIGIN = "http://localhost:3000"


async def healthy(redis_url: str) -> bool:
    config = EmulatorConfig(allowed_origins=[ORIGIN])
    async with Emulator(config) as emu, FakeApp(config.hmac_secret) as app:
        listen(emu.hub, "42", "org:123:messages", "org:123:tickets")
        target = Target(
            centrifugo_url=emu.url,
            centrifugo_api_key=SecretStr(config.api_key),
            centrifugo_token_hmac_secret_key=SecretStr(config.hmac_secret),
            app_token_url=app.url,
            browser_origin=ORIGIN,
            redis_url=SecretStr(redis_url),
            check_timeout=5,
        )
        ids = tuple(catalogue())
        await run_checks(ids, target, org="123")  # warm-up: imports, first connections
        walls, slowest, latencies = [], [], []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            report = await run_checks(ids, target, org="123", command="diagnose org 123")
            walls.append((time.perf_counter() - started) * 1000)
            slowest.append(max(c.duration_ms for c in report.checks))
            roundtrip = report.get("roundtrip")
            if roundtrip is not None and "latency_ms" in roundtrip.details:
                latencies.append(float(roundtrip.details["latency_ms"]))
            bad = [c.id for c in report.checks if c.status in ("fail", "warn")]
            if bad:
                print(f"  unexpected non-ok checks in a healthy run: {bad}")
                return False
    wall, slow = statistics.median(walls), statistics.median(slowest)
    bound = 1.5 * slow + 100
    print(f"healthy diagnose org 123 ({len(ids)} checks, {ROUNDS} rounds, medians):")
    print(f"  wall {wall:.1f} ms; slowest single check {slow:.1f} ms")
    print(f"  bar: 1.5 x slowest + 100 = {bound:.1f} ms")
    if latencies:
        median_ms, max_ms = statistics.median(latencies), max(latencies)
        print(f"  roundtrip publish-to-deliver: median {median_ms:.2f} ms, max {max_ms:.2f} ms")
    return wall <= bound


async def black_hole() -> bool:
    async with BlackHole() as hole:
        target = Target(
            centrifugo_url=hole.url,
            centrifugo_api_key=SecretStr("k"),
            centrifugo_token_hmac_secret_key=SecretStr("s"),
            app_token_url=hole.url + "/api/v1/centrifugo/token",
            browser_origin=ORIGIN,
            check_timeout=2,
        )
        ids = tuple(catalogue())
        started = time.perf_counter()
        report = await run_checks(ids, target, org="123")
        wall = time.perf_counter() - started
    present = [c.id for c in report.checks]
    statuses = {c.id: c.status.value for c in report.checks}
    print(
        f"black hole, CHECK_TIMEOUT=2: returned in {wall:.2f} s (bar 3 s); "
        f"{len(present)}/{len(ids)} checks present"
    )
    print("  " + ", ".join(f"{k}={v}" for k, v in statuses.items()))
    return wall < 3.0 and present == list(ids)


def help_latency() -> bool:
    times = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bot.cli", "help"], check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    best, median = min(times), statistics.median(times)
    print(f"`centrifugo-bot help`: median {median * 1000:.0f} ms, best {best * 1000:.0f} ms")
    print("  bar: 1000 ms")
    return median < 1.0


def main() -> int:
    with tempfile.TemporaryDirectory() as workdir:
        redis = RedisServer(Path(workdir)).start()
        try:
            ok_healthy = asyncio.run(healthy(redis.url()))
        finally:
            redis.stop()
    results = [ok_healthy, asyncio.run(black_hole()), help_latency()]
    print("PASS" if all(results) else "FAIL")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
