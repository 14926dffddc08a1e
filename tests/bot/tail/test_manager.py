"""Tails through the Slack stand-in and the Centrifugo emulator: a thread per tail, bursts batched
into paced posts that say what they leave out, disconnects shown and recovered, refusals, `tail
stop`, a second tail of the same channel, the duration cap and a shutdown while tailing."""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.answers import Notice, NoticeKind
from bot.grammar import Tail, TailStop
from bot.redact import Redactor
from bot.services import Origin
from bot.settings import Settings
from bot.slack.client import retry_handlers
from bot.tail.manager import TailManager
from bot.tail.poster import SlackThreadPoster
from tests.bot.slack.app_harness import bot_settings, serving
from tests.bot.tail.tailing import disconnect_all, eventually, settings_for, with_test_namespace
from tests.fakes.centrifugo.server import Emulator
from tests.fakes.slack import SlackStandIn
from tests.fakes.slack.web_api import ApiCall

INTERVAL = 0.1  # the production 1 s, shortened so the tests run quickly
ALICE = Origin(user_id="U1", channel_id="C1")
BOB = Origin(user_id="U2", channel_id="C1")


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    async with Emulator(with_test_namespace()) as server:
        yield server


@pytest.fixture
async def slack() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn() as standin:
        yield standin


class Bot:
    """A TailManager wired to the stand-in the way `serve` wires it, and what Slack saw."""

    def __init__(self, slack: SlackStandIn, settings: Settings) -> None:
        self.slack = slack
        client = AsyncWebClient(
            token=slack.bot_token, base_url=slack.api_url, retry_handlers=retry_handlers()
        )
        poster = SlackThreadPoster(client, Redactor(settings.secrets()))
        self.tails = TailManager(settings, poster, interval=INTERVAL)

    def posts(self) -> list[ApiCall]:
        return [c for c in self.slack.calls_to("chat.postMessage") if c.error is None]

    def thread(self) -> list[str]:
        """Texts posted into threads, in order."""
        return [str(c.args["text"]) for c in self.posts() if c.args.get("thread_ts")]

    def parents(self) -> list[dict[str, Any]]:
        return [m for m in self.slack.messages.values() if "thread_ts" not in m]

    async def summary(self, within: float = 5.0) -> str:
        await eventually(lambda: any(":checkered_flag:" in t for t in self.thread()), within)
        await eventually(lambda: self.tails.running() == [])
        last = self.thread()[-1]
        return last[last.index(":checkered_flag:") :]


@pytest.fixture
async def bot(slack: SlackStandIn, emulator: Emulator) -> AsyncIterator[Bot]:
    made = Bot(slack, settings_for(emulator))
    yield made
    await made.tails.aclose()


async def start(bot: Bot, emulator: Emulator, channel: str = "test", seconds: int = 60) -> Notice:
    notice = await bot.tails.answer(Tail(channel, seconds), ALICE)
    assert isinstance(notice, Notice)
    await eventually(lambda: emulator.hub.subscribers(channel))
    return notice


def figure(summary: str, name: str) -> int:
    match = re.search(rf"\b{name} ([\d,]+)", summary)
    assert match is not None, f"no {name} in {summary!r}"
    return int(match.group(1).replace(",", ""))


async def test_a_burst_is_batched_into_paced_posts_that_count_everything(
    bot: Bot, emulator: Emulator
) -> None:
    notice = await start(bot, emulator)
    assert notice == Notice(
        "Tailing `test` for 1m",
        "What arrives follows in the thread under the message in this channel.",
    )
    for n in range(500):
        await emulator.hub.publish("test", {"n": n})
    await eventually(lambda: "#500 " in "".join(bot.thread()) or "500)" in "".join(bot.thread()))
    assert bot.tails.answer is not None
    stopped = await bot.tails.answer(TailStop("test"), BOB)
    assert stopped == Notice("Stopping the tail of `test`", "Its summary follows in its thread.")
    summary = await bot.summary()

    assert summary.startswith(":checkered_flag: Tail of `test` ended: stopped by <@U2>.")
    assert figure(summary, "seen") == 500
    shown = sum(len(re.findall(r"^`\d\d:\d\d:\d\d\.\d{3}` #\d+ `", t, re.M)) for t in bot.thread())
    assert figure(summary, "shown") == shown
    assert figure(summary, "not shown") == 500 - shown
    hidden = [int(n) for t in bot.thread() for n in re.findall(r"… (\d+) more not shown", t)]
    assert sum(hidden) == 500 - shown
    assert all(len(t) <= 3000 for t in bot.thread())
    assert all(t.count("\n`") <= 20 for t in bot.thread())
    # At most one post per INTERVAL in the channel, the parent included.
    times = [c.timestamp for c in bot.posts()]
    assert all(b - a >= INTERVAL for a, b in itertools.pairwise(times))
    (parent,) = bot.parents()
    assert parent["text"].startswith(":checkered_flag: Tail of `test` ended (stopped by <@U2>)")
    assert "seen 500" in parent["text"]
    assert emulator.hub.subscribers("test") == []


async def test_a_disconnect_is_shown_and_what_was_missed_is_recovered(
    bot: Bot, emulator: Emulator
) -> None:
    await start(bot, emulator)
    for n in range(3):
        await emulator.hub.publish("test", {"before": n})
    await eventually(lambda: "#3 " in "".join(bot.thread()))
    assert await disconnect_all(emulator) == 1
    for n in range(4):  # nobody is subscribed: only recovery can bring these
        await emulator.hub.publish("test", {"while_away": n})
    await eventually(lambda: "#7 " in "".join(bot.thread()))
    await bot.tails.answer(TailStop(), ALICE)
    summary = await bot.summary()

    whole = "\n".join(bot.thread())
    assert ":warning: connection lost (3001 shutdown" in whole
    assert ":arrows_counterclockwise: reconnected" in whole
    assert ":link: subscribed again; missed publications recovered" in whole
    assert (figure(summary, "seen"), figure(summary, "reconnects")) == (7, 1)


async def test_a_channel_outside_tail_channels_is_refused(bot: Bot, slack: SlackStandIn) -> None:
    notice = await bot.tails.answer(Tail("org:123:messages", 60), ALICE)
    assert isinstance(notice, Notice)
    assert (notice.kind, notice.title) == (
        NoticeKind.REFUSED,
        "`org:123:messages` is not open to tail and publish",
    )
    assert slack.calls == []
    assert bot.tails.running() == []


async def test_a_subscription_centrifugo_refuses_ends_the_tail(
    slack: SlackStandIn, emulator: Emulator
) -> None:
    bot = Bot(slack, settings_for(emulator, tail_channels=("nons:*",)))
    await bot.tails.answer(Tail("nons:x", 60), ALICE)
    summary = await bot.summary()
    refusal = bot.thread()[-1].split("\n\n")[0]
    assert refusal == (
        ":x: Centrifugo refused the subscription: "
        "102 unknown channel (the channel's namespace is not configured)"
    )
    assert summary.startswith(
        ":checkered_flag: Tail of `nons:x` ended: Centrifugo ended it (102 unknown channel"
    )
    assert emulator.hub.connections == {}


async def test_a_second_tail_of_a_channel_points_to_the_running_one(
    bot: Bot, emulator: Emulator
) -> None:
    await start(bot, emulator)
    again = await bot.tails.answer(Tail("test", 120), BOB)
    assert isinstance(again, Notice)
    assert again.title == "`test` is already being tailed"
    assert re.fullmatch(
        r"In <#C1>, asked by <@U1>, (59s|1m) left\. `/centrifugo tail stop test` ends it\.",
        again.body,
    )
    assert len(emulator.hub.subscribers("test")) == 1
    assert len(bot.parents()) == 1


@pytest.mark.parametrize(
    ("running", "stop", "says"),
    [
        pytest.param((), TailStop(), "No tail is running", id="none"),
        pytest.param(("test", "test:b"), TailStop(), "Several tails are running", id="which"),
        pytest.param(("test",), TailStop("test:z"), "`test:z` is not being tailed", id="other"),
    ],
)
async def test_tail_stop_says_what_it_cannot_stop(
    bot: Bot, emulator: Emulator, running: tuple[str, ...], stop: TailStop, says: str
) -> None:
    for channel in running:
        await start(bot, emulator, channel)
    notice = await bot.tails.answer(stop, ALICE)
    assert isinstance(notice, Notice)
    assert notice.title == says
    assert [info.channel for info, _ in bot.tails.running()] == list(running)


async def test_tail_stop_without_a_channel_stops_the_only_one(bot: Bot, emulator: Emulator) -> None:
    await start(bot, emulator)
    await bot.tails.answer(TailStop(), ALICE)
    assert (await bot.summary()).startswith(":checkered_flag: Tail of `test` ended: stopped by")


async def test_the_duration_ends_the_tail(bot: Bot, emulator: Emulator) -> None:
    await start(bot, emulator, seconds=1)
    await emulator.hub.publish("test", {"n": 1})
    summary = await bot.summary(within=4)
    assert summary.startswith(":checkered_flag: Tail of `test` ended: duration reached.")
    assert figure(summary, "seen") == 1


@pytest.mark.parametrize(
    ("asked", "why"),
    [
        pytest.param(300, " 5m is over TAIL_MAX_SECONDS, so it runs for 1m30s.", id="asked-5m"),
        pytest.param(None, "", id="no-duration-given"),  # the default is no request to cap
    ],
)
async def test_the_duration_is_capped_by_tail_max_seconds(
    slack: SlackStandIn, emulator: Emulator, asked: int | None, why: str
) -> None:
    bot = Bot(slack, settings_for(emulator, tail_max_seconds=90))
    try:
        notice = await bot.tails.answer(Tail("test", asked), ALICE)
        assert notice == Notice(
            "Tailing `test` for 1m30s",
            "What arrives follows in the thread under the message in this channel." + why,
        )
        ((info, _),) = bot.tails.running()
        assert info.seconds == 90
    finally:
        await bot.tails.aclose()


async def test_shutdown_while_tailing_posts_every_summary(bot: Bot, emulator: Emulator) -> None:
    await start(bot, emulator, "test")
    await start(bot, emulator, "test:b")
    await emulator.hub.publish("test:b", {"last": True})
    await bot.tails.aclose()

    endings = sorted(t[t.index(":checkered_flag:") :].split("\n")[0] for t in bot.thread()[-2:])
    assert endings == [
        ":checkered_flag: Tail of `test:b` ended: the bot is shutting down.",
        ":checkered_flag: Tail of `test` ended: the bot is shutting down.",
    ]
    assert all("ended (the bot is shutting down)" in p["text"] for p in bot.parents())
    assert bot.tails.running() == []
    assert emulator.hub.connections == {}
    assert not [t for t in asyncio.all_tasks() if t.get_name().startswith("tail:")]


async def test_a_thread_slack_refuses_is_reported_and_nothing_runs(
    bot: Bot, slack: SlackStandIn, emulator: Emulator
) -> None:
    slack.fail_next("chat.postMessage", error="not_in_channel")
    notice = await bot.tails.answer(Tail("test", 60), ALICE)
    assert notice == Notice(
        "Could not start the tail's thread",
        "Slack refused the post: `not_in_channel`. Is the bot a member of this channel?",
        NoticeKind.ERROR,
    )
    assert bot.tails.running() == []
    assert emulator.hub.connections == {}


async def test_a_rate_limited_post_is_retried_and_nothing_is_lost(
    bot: Bot, slack: SlackStandIn, emulator: Emulator
) -> None:
    await start(bot, emulator)
    slack.fail_next("chat.postMessage", status=429, retry_after=1)
    await emulator.hub.publish("test", {"n": 1})
    await eventually(lambda: "#1 " in "".join(bot.thread()), within=5)
    await bot.tails.answer(TailStop(), ALICE)
    summary = await bot.summary()
    assert (figure(summary, "seen"), figure(summary, "shown")) == (1, 1)
    assert [c.status for c in slack.calls_to("chat.postMessage")].count(429) == 1


# Through the Slack app, as Slack sends the commands.


def app_settings(slack: SlackStandIn, emulator: Emulator) -> Settings:
    return bot_settings(
        slack,
        emulator.url,
        centrifugo_api_key=emulator.config.api_key,
        centrifugo_token_hmac_secret_key=emulator.config.hmac_secret,
        privileged_user_ids="U1",
    )


@pytest.mark.parametrize(
    "text", ["tail test 1m", "tail stop", 'publish test {"a":1}'], ids=["tail", "stop", "publish"]
)
async def test_an_unprivileged_user_is_refused(
    slack: SlackStandIn, emulator: Emulator, text: str
) -> None:
    async with serving(app_settings(slack, emulator), slack) as app:
        ack = await app.command(text, user_id="U9")
    assert "is for privileged users" in ack.text
    assert slack.calls_to("chat.postMessage") == []
    assert (emulator.hub.connections, emulator.hub.published) == ({}, [])


async def test_through_the_app_a_tail_runs_shows_in_status_and_ends_at_shutdown(
    slack: SlackStandIn, emulator: Emulator
) -> None:
    async with serving(app_settings(slack, emulator), slack) as app:
        await app.command("tail test 1m", "r1")
        [started] = await slack.wait_for_response("r1")
        assert started["text"].startswith("Tailing `test` for 1m")
        assert started["response_type"] == "ephemeral"
        await eventually(lambda: emulator.hub.subscribers("test"))
        await app.command('publish test {"hello":"world"}', "r2")
        [published] = await slack.wait_for_response("r2")
        assert published["response_type"] == "in_channel"
        assert "offset 1, epoch" in str(published)
        await app.command("status", "r3")
        [status] = await slack.wait_for_response("r3")
        assert "• `test` in <#C1>, asked by <@U1>: seen " in str(status)
        await eventually(lambda: '{"hello":"world"}' in str(slack.messages), within=3)
    # Leaving `serving` is the bot's shutdown.
    (parent,) = [m for m in slack.messages.values() if "thread_ts" not in m]
    thread = [m["text"] for m in slack.messages.values() if m.get("thread_ts") == parent["ts"]]
    assert thread[-1].endswith(
        ":checkered_flag: Tail of `test` ended: the bot is shutting down.\n"
        "seen 1 · shown 1 · not shown 0 · reconnects 0 · ran " + thread[-1].rsplit(" ", 1)[-1]
    )
    assert parent["text"].startswith(":checkered_flag: Tail of `test` ended (the bot is shutting")
    assert emulator.hub.connections == {}


async def test_secrets_in_payloads_never_reach_slack(bot: Bot, emulator: Emulator) -> None:
    await start(bot, emulator)
    secret = emulator.config.hmac_secret
    await emulator.hub.publish("test", {"leak": secret, "auth": "Bearer abcdefghijkl"})
    await eventually(lambda: "#1 " in "".join(bot.thread()))
    line = next(t for t in bot.thread() if "#1 " in t)
    assert secret not in line and "abcdefghijkl" not in line
    assert "…[redacted]" in line
