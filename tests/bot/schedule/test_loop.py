"""The real scheduler loop at a 0.2 s interval against the Centrifugo emulator (faults switched
while it runs) and the Slack stand-in (recording every post): open, update, resolve; a restart
in the middle; a rate-limited alert post; mute and unmute; runs that never overlap."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.grammar import Mute, Unmute
from bot.grammar import Status as StatusCommand
from bot.redact import Redactor
from bot.schedule.commands import ScheduleCommands
from bot.schedule.loop import Outlet, Scheduler, Watch
from bot.schedule.metrics import Metrics
from bot.schedule.model import Change, Rules, Transition
from bot.schedule.poster import SlackPoster
from bot.schedule.state import StateStore
from bot.services import Origin
from bot.settings import load_settings
from bot.slack.client import web_client
from checks.model import Report
from checks.runner import run_checks
from checks.target import Target
from tests.conftest import target_for
from tests.fakes.centrifugo.config import Fault
from tests.fakes.centrifugo.server import Emulator
from tests.fakes.slack import SlackStandIn
from tests.fakes.slack.web_api import ApiCall

CHANNEL = "CALERTS1"
INTERVAL = 0.2
RULES = Rules(alert_after=2, resolve_after=1, remind_every=0, refresh_every=0)
USER = Origin(user_id="U1", channel_id="C1")


@pytest.fixture
async def slack() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn() as standin:
        yield standin


def plain_client(slack: SlackStandIn) -> AsyncWebClient:
    """No retry handlers: a 429 fails the call, so the next run has to retry it."""
    return AsyncWebClient(token=slack.bot_token, base_url=slack.api_url, timeout=5)


@asynccontextmanager
async def scheduling(
    emulator: Emulator,
    client: AsyncWebClient,
    path: Path,
    *,
    rules: Rules = RULES,
    seen: list[Transition] | None = None,
) -> AsyncIterator[Scheduler]:
    store = StateStore.open(path)
    target = target_for(emulator)
    poster = SlackPoster(client, Redactor(target.secrets()))
    scheduler = Scheduler(
        [Watch(target, "1")],
        store=store,
        outlet=Outlet(poster, CHANNEL),
        interval=INTERVAL,
        rules=rules,
        metrics=Metrics(),
        on_transition=None if seen is None else seen.append,
    )
    try:
        async with scheduler:
            yield scheduler
    finally:
        store.close()


async def eventually(condition: Callable[[], bool], timeout: float = 8.0) -> None:  # noqa: ASYNC109
    # Polls: the conditions are plain attributes of a running loop, with nothing to await.
    async with asyncio.timeout(timeout):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.02)


async def runs(scheduler: Scheduler, count: int) -> None:
    """Until `count` more runs have completed."""
    goal = scheduler.runs + count
    await eventually(lambda: scheduler.runs >= goal)


def posts(slack: SlackStandIn) -> list[ApiCall]:
    """chat.postMessage calls Slack accepted."""
    return [c for c in slack.calls_to("chat.postMessage") if c.error is None]


def top(slack: SlackStandIn, call: ApiCall) -> dict[str, Any]:
    """The message a post created, as later edited."""
    ts = next(ts for (_, ts), m in slack.messages.items() if m.get("text") == call.args["text"])
    return slack.messages[(CHANNEL, ts)]


async def test_open_update_resolve(emulator: Emulator, slack: SlackStandIn, tmp_path: Path) -> None:
    seen: list[Transition] = []
    client = plain_client(slack)
    async with scheduling(emulator, client, tmp_path / "s.db", seen=seen) as scheduler:
        await runs(scheduler, 2)
        assert slack.calls_to("chat.postMessage") == []

        emulator.config.faults = {Fault.BROKER_DOWN}
        (alert,) = await slack.wait_for("chat.postMessage")
        assert alert.args["channel"] == CHANNEL and "thread_ts" not in alert.args
        assert failing(alert) == {"subscribe", "roundtrip", "channels"}

        emulator.config.faults = {Fault.SERVER_ERROR}  # the server itself goes: more checks fail
        await eventually(lambda: any(t.change is Change.GREW for t in seen))
        await eventually(lambda: any("server.ping" in c.args["text"] for c in edits(slack)))
        assert len(posts(slack)) == 1

        emulator.config.faults = set()
        _, resolved = await slack.wait_for("chat.postMessage", 2)
        await runs(scheduler, 3)
    ts = alert_ts(slack)
    assert resolved.args["thread_ts"] == ts
    assert resolved.args["text"].startswith("✅ Resolved after ")
    assert slack.messages[(CHANNEL, ts)]["text"].startswith("✅ Resolved after ")
    assert len(posts(slack)) == 2
    assert [t.change for t in seen] == [Change.OPENED, Change.GREW, Change.RESOLVED]


def edits(slack: SlackStandIn) -> list[ApiCall]:
    return [c for c in slack.calls_to("chat.update") if c.error is None]


def failing(alert: ApiCall) -> set[str]:
    """The checks an alert names (in the order they failed, which depends on timing)."""
    title = alert.args["text"]
    assert title.startswith("🚨 Centrifugo failing: ")
    return set(title.removeprefix("🚨 Centrifugo failing: ").split(", "))


def alert_ts(slack: SlackStandIn) -> str:
    (ts,) = [ts for (c, ts), m in slack.messages.items() if c == CHANNEL and "thread_ts" not in m]
    return ts


async def test_a_restart_neither_repeats_nor_forgets_the_alert(
    emulator: Emulator, slack: SlackStandIn, tmp_path: Path
) -> None:
    path, client = tmp_path / "s.db", plain_client(slack)
    emulator.config.faults = {Fault.SERVER_ERROR}
    async with scheduling(emulator, client, path):
        await slack.wait_for("chat.postMessage")
    async with scheduling(emulator, client, path) as again:
        assert again.states[again.watches[0].name].open_incident is not None
        await runs(again, 4)
        assert len(posts(slack)) == 1  # still failing: edits only
        emulator.config.faults = set()
        _, resolved = await slack.wait_for("chat.postMessage", 2)
        await runs(again, 2)
    assert resolved.args["thread_ts"] == alert_ts(slack)
    assert len(posts(slack)) == 2


async def test_a_rate_limited_alert_is_posted_at_the_next_run_once(
    emulator: Emulator, slack: SlackStandIn, tmp_path: Path
) -> None:
    slack.fail_next("chat.postMessage", status=429, retry_after=1)
    emulator.config.faults = {Fault.SERVER_ERROR}
    async with scheduling(emulator, plain_client(slack), tmp_path / "s.db") as scheduler:
        calls = await slack.wait_for("chat.postMessage", 2)
        await runs(scheduler, 3)
    assert [c.status for c in calls] == [429, 200]
    assert len(slack.calls_to("chat.postMessage")) == 2 and len(posts(slack)) == 1


async def test_the_apps_own_client_rides_out_a_429_within_the_run(
    emulator: Emulator, slack: SlackStandIn, tmp_path: Path
) -> None:
    settings = load_settings(slack_bot_token=slack.bot_token, slack_api_url=slack.api_url)
    slack.fail_next("chat.postMessage", status=429, retry_after=0)
    emulator.config.faults = {Fault.SERVER_ERROR}
    async with aiohttp.ClientSession() as session:
        client = web_client(settings, session)
        async with scheduling(emulator, client, tmp_path / "s.db") as scheduler:
            await slack.wait_for("chat.postMessage", 2)
            await runs(scheduler, 2)
    assert len(posts(slack)) == 1


async def test_mute_holds_the_alert_and_unmute_posts_it(
    emulator: Emulator, slack: SlackStandIn, tmp_path: Path
) -> None:
    seen: list[Transition] = []
    async with scheduling(emulator, plain_client(slack), tmp_path / "s.db", seen=seen) as sch:
        commands = ScheduleCommands(sch)
        muted = await commands.answer(Mute(3600), USER)
        assert muted.title.startswith("Alerts muted until ")  # type: ignore[union-attr]
        emulator.config.faults = {Fault.SERVER_ERROR}
        await eventually(lambda: any(t.change is Change.OPENED for t in seen))
        await runs(sch, 3)
        assert slack.calls_to("chat.postMessage") == [] and seen[0].muted
        status = await commands.answer(StatusCommand(), USER)
        assert "muted until" in status.title  # type: ignore[union-attr]
        assert "not posted yet" in status.body  # type: ignore[union-attr]

        unmuted = await commands.answer(Unmute(), USER)
        assert len(posts(slack)) == 1
        link = sch.states[sch.watches[0].name].incidents[0].link
        assert link is not None and link.startswith("https://stand-in.slack.com/archives/")
        assert unmuted.body == f"The open incident is in <#{CHANNEL}>: {link}"  # type: ignore[union-attr]


async def test_an_incident_over_within_a_mute_is_never_posted(
    emulator: Emulator, slack: SlackStandIn, tmp_path: Path
) -> None:
    async with scheduling(emulator, plain_client(slack), tmp_path / "s.db") as scheduler:
        ScheduleCommands(scheduler).mute(3600)
        emulator.config.faults = {Fault.SERVER_ERROR}
        await runs(scheduler, 3)
        emulator.config.faults = set()
        await runs(scheduler, 2)
        note = await ScheduleCommands(scheduler).answer(Unmute(), USER)
        await runs(scheduler, 2)
    assert slack.calls == [] and note.body == "Nothing was held back."  # type: ignore[union-attr]


async def test_reminders_go_into_the_thread(
    emulator: Emulator, slack: SlackStandIn, tmp_path: Path
) -> None:
    rules = Rules(alert_after=1, remind_every=0.5, refresh_every=60)
    emulator.config.faults = {Fault.SERVER_ERROR}
    async with scheduling(emulator, plain_client(slack), tmp_path / "s.db", rules=rules):
        _, reminder = await slack.wait_for("chat.postMessage", 2)
    assert reminder.args["thread_ts"] == alert_ts(slack)
    assert reminder.args["text"].startswith("⏰ Still failing after ")


async def test_a_slow_run_delays_the_next_instead_of_overlapping(
    emulator: Emulator, slack: SlackStandIn, tmp_path: Path
) -> None:
    spans: list[tuple[float, float]] = []

    async def slow_run(check_ids: Sequence[str], target: Target, **kwargs: Any) -> Report:
        started = time.monotonic()
        await asyncio.sleep(0.5 if len(spans) == 1 else 0.01)  # the second run is slow
        report = await run_checks(check_ids, target, **kwargs)
        spans.append((started, time.monotonic()))
        return report

    store = StateStore.open(tmp_path / "s.db")
    outlet = Outlet(SlackPoster(plain_client(slack), Redactor()), CHANNEL)
    watch = Watch(target_for(emulator), "1")
    scheduler = Scheduler(
        [watch], store=store, outlet=outlet, interval=0.1, rules=RULES, run=slow_run
    )
    async with scheduler:
        await runs(scheduler, 4)
    store.close()
    gaps = [later[0] - earlier[1] for earlier, later in itertools.pairwise(spans)]
    assert all(gap >= 0.09 for gap in gaps), gaps  # each run waits the interval after the last
    assert not scheduler.running
