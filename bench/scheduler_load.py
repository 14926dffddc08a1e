"""Bar: 10 scheduled targets (each its own Centrifugo and org) at a 1 s interval for 60 s: no
run overlaps, the bot process under 20% of one core, and exactly one Slack post per state change.

This process plays the ten Centrifugos (emulators whose faults it switches on a fixed plan:
outages, a flapping target, a second outage) and Slack (the stand-in, which answers some posts
with 429 and a burst of 503s); the bot runs as its own process (bench/scheduler_bot.py) so its
CPU is its own. Loopback only. Prints its figures; exits 1 when a bar is missed.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import statistics
import sys
import tempfile
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

from bench.bot_process import run_bar
from tests.fakes.centrifugo.config import Fault
from tests.fakes.centrifugo.server import Emulator
from tests.fakes.slack import SlackStandIn

TARGETS = 10
INTERVAL = 1.0
SECONDS = 60.0
REMIND_EVERY = 15.0  # so reminders are among the state changes counted
CHANNEL = "CALERTS1"
BAR_CPU_PERCENT = 20.0
DEADLINE = SECONDS + 60.0


def outages(n: int) -> list[tuple[float, float]]:
    """When target `n` is down (seconds after the bot started)."""
    first = (3.0 + 2 * n, 15.0 + 2 * n + (8.0 if n < 3 else 0.0))  # 0-2 long enough to remind
    return [first, (38.0, 46.0)] if n % 2 == 0 else [first]


def fault_for(n: int) -> Fault:
    return Fault.SERVER_ERROR if n % 2 == 0 else Fault.BROKER_DOWN


def wanted(n: int, t: float) -> set[Fault]:
    if n == TARGETS - 1 and 28.0 <= t < 36.0:  # flapping: down for 0.7 s of every 1.4 s
        return {fault_for(n)} if (t % 1.4) < 0.7 else set()
    return {fault_for(n)} if any(a <= t < b for a, b in outages(n)) else set()


async def drive(emulators: list[Emulator], slack: SlackStandIn) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    slack_faults = [(10.0, 429, 2), (40.5, 503, 6)]  # 503 x6 outlasts the client's retries
    while (t := loop.time() - started) < SECONDS:
        for n, emulator in enumerate(emulators):
            emulator.config.faults = wanted(n, t)
        while slack_faults and t >= slack_faults[0][0]:
            _, status, times = slack_faults.pop(0)
            slack.fail_next("chat.postMessage", status=status, times=times, retry_after=1)
        await asyncio.sleep(0.05)


async def run_bot(config: dict[str, Any]) -> dict[str, Any]:
    env = {**os.environ, "BENCH_CONFIG": json.dumps(config)}
    bot = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.scheduler_bot", env=env, stdout=asyncio.subprocess.PIPE
    )
    assert bot.stdout is not None
    line = await bot.stdout.readline()
    if line.strip() != b"started":
        raise RuntimeError(f"the bot did not start: {line!r}")
    return {"process": bot, "stdout": bot.stdout}


def overlaps(spans: dict[str, list[list[float]]]) -> int:
    """Runs of one target that began before its previous run ended, plus rounds that began
    before the previous round's last run ended."""
    inside = sum(b[0] < a[1] for runs in spans.values() for a, b in itertools.pairwise(runs))
    rounds = list(zip(*spans.values(), strict=False))
    across = sum(
        min(s[0] for s in later) < max(s[1] for s in earlier)
        for earlier, later in itertools.pairwise(rounds)
    )
    return inside + across


def slack_figures(slack: SlackStandIn) -> dict[str, int]:
    posted = [c for c in slack.calls_to("chat.postMessage") if c.error is None]
    messages = [m for (channel, _), m in slack.messages.items() if channel == CHANNEL]
    tops = [m for m in messages if "thread_ts" not in m]
    return {
        "posts": len(posted),
        "refused": len(slack.calls_to("chat.postMessage")) - len(posted),
        "edits": sum(1 for c in slack.calls_to("chat.update") if c.error is None),
        "alerts": len(tops),
        "still_failing": sum(1 for m in tops if str(m["text"]).startswith("🚨")),
        "resolved_replies": sum(
            1 for m in messages if "thread_ts" in m and str(m["text"]).startswith("✅ Resolved")
        ),
    }


async def measure() -> bool:
    async with AsyncExitStack() as stack:
        slack = await stack.enter_async_context(SlackStandIn())
        emulators = [await stack.enter_async_context(Emulator()) for _ in range(TARGETS)]
        folder = stack.enter_context(tempfile.TemporaryDirectory())
        config = {
            "urls": [e.url for e in emulators],
            "api_key": emulators[0].config.api_key,
            "hmac_secret": emulators[0].config.hmac_secret,
            "check_timeout": 5.0,
            "bot_token": slack.bot_token,
            "api_url": slack.api_url,
            "state_path": str(Path(folder) / "state.sqlite3"),
            "channel": CHANNEL,
            "interval": INTERVAL,
            "seconds": SECONDS,
            "remind_every": REMIND_EVERY,
        }
        bot = await run_bot(config)
        await drive(emulators, slack)
        figures = json.loads(await bot["stdout"].readline())
        await bot["process"].wait()
        seen = slack_figures(slack)
    return report(figures, seen)


def report(figures: dict[str, Any], seen: dict[str, int]) -> bool:
    spans = figures["spans"]
    runs = [len(r) for r in spans.values()]
    took = [b - a for r in spans.values() for a, b in r]
    changes = [change for change, _, _ in figures["transitions"]]
    count = {name: changes.count(name) for name in sorted(set(changes))}
    bad = overlaps(spans)
    print(f"{len(spans)} targets for {figures['wall_s']:.1f} s at a {INTERVAL:g} s interval")
    print(f"runs per target: {min(runs)}-{max(runs)}; overlapping runs: {bad}")
    print(
        f"diagnosis wall time: median {statistics.median(took) * 1000:.0f} ms, "
        f"max {max(took) * 1000:.0f} ms"
    )
    print(f"bot CPU: {figures['cpu_percent']:.1f}% of one core")
    print(f"state changes: {count}; posting ones: {figures['posting']}")
    print(
        f"Slack: {seen['posts']} posts accepted ({seen['refused']} refused with 429/503 and "
        f"retried), {seen['edits']} edits; {seen['alerts']} alerts, "
        f"{seen['resolved_replies']} resolved replies, {seen['still_failing']} still failing"
    )
    met = (
        bad == 0
        and figures["cpu_percent"] < BAR_CPU_PERCENT
        and seen["posts"] == figures["posting"]
        and seen["alerts"] == count.get("opened", 0) + count.get("cert_expiring", 0)
        and seen["still_failing"] == 0
        and seen["resolved_replies"] == count.get("resolved", 0)
    )
    print(
        f"bar (no overlap, CPU < {BAR_CPU_PERCENT:.0f}%, posts == state changes): "
        f"{'met' if met else 'MISSED'}"
    )
    return met


def main() -> int:
    return run_bar(measure, DEADLINE)


if __name__ == "__main__":
    sys.exit(main())
