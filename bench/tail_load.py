"""Bar: a channel receiving 1,000 publications per second for 10 s while the bot tails it into a
Slack thread: every publication counted in the tail's summary, at most one Slack post per second
in the channel, and the bot's RSS growing by less than 20 MB.

The bot runs as its own process (`serve`, loopback only) so its RSS is its own; this process
plays Centrifugo (the emulator, publishing through its hub) and Slack (the stand-in, which
timestamps every post as it arrives). Prints its figures; exits 1 when a bar is missed.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

from bench.bot_process import SIGNING_SECRET, bot_environment, bot_process, run_bar
from bot.slack.server import EVENTS_PATH
from tests.fakes.centrifugo.config import EmulatorConfig, Namespace
from tests.fakes.centrifugo.server import Emulator
from tests.fakes.slack import SlackStandIn, signed_headers, slash_command_body

RATE = 1000  # publications per second
SECONDS = 10
CHANNEL = "test"
SLACK_CHANNEL = "C1"
BAR_POSTS_PER_SECOND = 1
BAR_RSS_GROWTH_MB = 20.0
PAYLOAD_PAD = 1950
STEP = 0.01  # the publisher's tick: RATE * STEP publications each
DEADLINE = 120.0  # the whole bench, however things go


def environment(slack: SlackStandIn, emulator: Emulator) -> dict[str, str]:
    return bot_environment(slack, emulator, PRIVILEGED_USER_IDS="U1")


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
    assert match is not None, "no VmRSS"
    return int(match.group(1)) / 1024


async def command(http: aiohttp.ClientSession, url: str, slack: SlackStandIn, text: str) -> None:
    body = slash_command_body(text, response_url=slack.response_url(text.replace(" ", "-")))
    headers = signed_headers(body, SIGNING_SECRET)
    async with http.post(url + EVENTS_PATH, data=body, headers=headers) as answer:
        if answer.status != 200:
            raise RuntimeError(f"`{text}` was answered {answer.status}")


def payload(n: int) -> dict[str, Any]:
    """About 2 KB, like an app's event: a bot that kept all 10,000 would grow by 25+ MB."""
    return {"n": n, "at": time.time(), "type": "message.created", "body": "x" * PAYLOAD_PAD}


async def publish(emulator: Emulator) -> float:
    """RATE publications a second for SECONDS, in ticks; returns the seconds it took."""
    loop = asyncio.get_running_loop()
    started, per_tick = loop.time(), round(RATE * STEP)
    for tick in range(round(SECONDS / STEP)):
        for n in range(per_tick):
            await emulator.hub.publish(CHANNEL, payload(tick * per_tick + n))
        await asyncio.sleep(max(started + (tick + 1) * STEP - loop.time(), 0))
    return loop.time() - started


async def sample_rss(pid: int, peak: list[float]) -> None:
    while True:
        peak[0] = max(peak[0], rss_mb(pid))
        await asyncio.sleep(0.1)


def thread_texts(slack: SlackStandIn) -> list[str]:
    return [str(m["text"]) for m in slack.messages.values() if m.get("thread_ts")]


async def until(condition: Any, within: float) -> None:
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110 - the stand-in's records come with no event
            await asyncio.sleep(0.05)


def shows_offset(slack: SlackStandIn, offset: int) -> bool:
    """Whether a thread post shows `offset`, or counts it among those not shown."""
    return any(f"#{offset} " in t or f"–{offset})" in t for t in thread_texts(slack))


def figure(summary: str, name: str) -> int:
    match = re.search(rf"\b{name} ([\d,]+)", summary)
    return int(match.group(1).replace(",", "")) if match else -1


def post_pacing(slack: SlackStandIn) -> tuple[int, int, float]:
    """Posts into the channel, the most in any one-second window, the smallest gap (s)."""
    times = sorted(
        c.timestamp
        for c in slack.calls_to("chat.postMessage")
        if c.error is None and c.args.get("channel") == SLACK_CHANNEL
    )
    most = max((sum(1 for t in times if a <= t < a + 1.0) for a in times), default=0)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    return len(times), most, min(gaps, default=float("inf"))


async def measure() -> bool:
    config = EmulatorConfig(top_level=Namespace("", history_size=10))
    async with (
        SlackStandIn() as slack,
        Emulator(config) as emulator,
        bot_process(environment(slack, emulator)) as bot,
        aiohttp.ClientSession() as http,
    ):
        await command(http, bot.url, slack, f"tail {CHANNEL} 2m")
        await until(lambda: emulator.hub.subscribers(CHANNEL), 10)
        await until(lambda: any("subscribed to" in t for t in thread_texts(slack)), 5)
        await asyncio.sleep(1.0)  # let the first posts and their buffers settle
        baseline = rss_mb(bot.pid)
        peak = [baseline]
        sampler = asyncio.create_task(sample_rss(bot.pid, peak), name="bench:rss")
        took = await publish(emulator)
        published = RATE * SECONDS
        await until(lambda: shows_offset(slack, published), 15)  # the last one reached the bot
        await command(http, bot.url, slack, f"tail stop {CHANNEL}")
        await until(lambda: any(":checkered_flag:" in t for t in thread_texts(slack)), 10)
        sampler.cancel()
        await asyncio.gather(sampler, return_exceptions=True)
        summary = next(t for t in thread_texts(slack) if ":checkered_flag:" in t)
        posts, most, gap = post_pacing(slack)
    counted, shown = figure(summary, "seen"), figure(summary, "shown")
    growth = peak[0] - baseline
    print(
        f"published {published} publications on `{CHANNEL}` in {took:.2f} s "
        f"({published / took:.0f}/s)"
    )
    not_shown = figure(summary, "not shown")
    print(f"tail summary: counted {counted}, shown {shown}, not shown {not_shown}")
    print(
        f"Slack posts in the channel: {posts} (parent included); "
        f"max {most} in any 1 s window; smallest gap {gap:.3f} s"
    )
    print(f"bot RSS: {baseline:.1f} MB before, peak {peak[0]:.1f} MB, growth {growth:.1f} MB")
    met = counted == published and most <= BAR_POSTS_PER_SECOND and growth < BAR_RSS_GROWTH_MB
    print(
        f"bar (every publication counted, <= {BAR_POSTS_PER_SECOND} post/s, "
        f"RSS growth < {BAR_RSS_GROWTH_MB:.0f} MB): {'met' if met else 'MISSED'}"
    )
    return met


def main() -> int:
    return run_bar(measure, DEADLINE)


if __name__ == "__main__":
    sys.exit(main())
