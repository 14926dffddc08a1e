"""Scheduled checks inside the served app: started by SCHEDULE_INTERVAL and ALERT_CHANNEL,
reported on /healthz and /metrics, driven by `status`, `mute` and `unmute` from Slack, and a bad
STATE_PATH refused at start."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.schedule.state import StateError
from tests.bot.slack.app_harness import SIGNING_SECRET, BotClient, bot_settings, serving
from tests.fakes.centrifugo.config import Fault
from tests.fakes.centrifugo.server import Emulator
from tests.fakes.slack import SlackStandIn

CHANNEL = "CALERTS1"


@pytest.fixture
async def slack() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn() as standin:
        yield standin


@pytest.fixture
async def bot(emulator: Emulator, slack: SlackStandIn, tmp_path: Path) -> AsyncIterator[BotClient]:
    settings = bot_settings(
        slack,
        emulator.url,
        centrifugo_api_key=emulator.config.api_key,
        centrifugo_token_hmac_secret_key=emulator.config.hmac_secret,
        schedule_interval=0.2,
        schedule_org="1",
        alert_channel=CHANNEL,
        state_path=tmp_path / "state" / "alerts.sqlite3",
        privileged_user_ids="UADMIN",
    )
    async with serving(settings, slack) as client:
        yield client


async def until_ran(bot: BotClient) -> dict[str, object]:
    """/healthz's scheduled-checks facts once a run has finished."""
    async with asyncio.timeout(8):
        while True:
            facts = (await bot.healthz()).json()["scheduled_checks"]
            if "last_run" in facts:
                return dict(facts)
            await asyncio.sleep(0.05)


async def test_healthz_and_metrics_report_the_last_run(bot: BotClient) -> None:
    facts = await until_ran(bot)
    assert facts["interval_s"] == 0.2 and facts["open_incidents"] == 0
    async with bot.http.get(bot.bot.url + "/metrics") as answer:
        assert answer.status == 200
        assert answer.headers["Content-Type"].startswith("text/plain")
        text = await answer.text()
    target = f"{bot.services.settings.centrifugo_url} org 1"
    values = {
        (s.name, s.labels.get("check"), s.labels.get("status")): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.labels.get("target") == target
    }
    assert values[("centrifugo_check_status", "server.ping", "ok")] == 1
    assert values[("centrifugo_bot_open_incidents", None, None)] == 0
    assert values[("centrifugo_roundtrip_latency_seconds", None, None)] > 0


async def test_status_mute_and_unmute_from_slack(
    bot: BotClient, slack: SlackStandIn, emulator: Emulator
) -> None:
    await until_ran(bot)
    await bot.command("status", name="status")
    [status] = await slack.wait_for_response("status")
    assert status["text"] == "Scheduled checks: all passing"
    assert status["response_type"] == "in_channel"

    await bot.command("mute 1h", name="mute", user_id="UADMIN")
    [muted] = await slack.wait_for_response("mute")
    assert muted["text"].startswith("Alerts muted until <!date^")

    emulator.config.faults = {Fault.SERVER_ERROR}
    async with asyncio.timeout(8):  # polled: /healthz is the only window into the served app
        while (await bot.healthz()).json()["scheduled_checks"]["open_incidents"] == 0:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
    assert slack.calls_to("chat.postMessage") == []

    await bot.command("unmute", name="unmute", user_id="UADMIN")
    [unmuted] = await slack.wait_for_response("unmute")
    [alert] = [c for c in slack.calls_to("chat.postMessage") if c.args["channel"] == CHANNEL]
    # In the order they failed: a fault switched mid-run can catch either first.
    assert alert.args["text"] in {
        "🚨 Centrifugo failing: server.ping, websocket.connect",
        "🚨 Centrifugo failing: websocket.connect, server.ping",
    }
    assert unmuted["text"] == "Alerts unmuted"
    assert f"The open incident is in <#{CHANNEL}>: https://stand-in.slack.com/archives/" in str(
        unmuted["blocks"]
    )


async def test_a_corrupt_state_file_stops_the_app_at_start(
    emulator: Emulator, slack: SlackStandIn, tmp_path: Path
) -> None:
    path = tmp_path / "alerts.sqlite3"
    path.write_bytes(b"not sqlite at all " * 300)
    settings = bot_settings(
        slack, emulator.url, schedule_interval=1, alert_channel=CHANNEL, state_path=path
    )
    with pytest.raises(StateError, match="not a valid SQLite file"):
        async with serving(settings, slack):
            pass


def test_serve_says_so_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("a file where a folder should be")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "SLACK_BOT_TOKEN": "xoxb-1-test",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
        "PORT": "0",
        "SCHEDULE_INTERVAL": "60",
        "ALERT_CHANNEL": CHANNEL,
        "STATE_PATH": str(tmp_path / "file" / "state.sqlite3"),
    }
    done = subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; raise SystemExit(main(['serve']))"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        cwd=tmp_path,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().endswith(
        f"configuration error: STATE_PATH {tmp_path}/file/state.sqlite3: "
        f"cannot create its folder: {tmp_path}/file is a file, not a folder"
    )


def thread_replies(slack: SlackStandIn, thread_ts: str, words: str) -> list[object]:
    posts = slack.calls_to("chat.postMessage")
    return [p for p in posts if p.args.get("thread_ts") == thread_ts and words in p.args["text"]]


async def test_an_alert_button_answers_in_the_alert_thread_and_keeps_the_alert(
    bot: BotClient, slack: SlackStandIn, emulator: Emulator
) -> None:
    """Re-run and Full diagnosis on an alert reply in its thread: the alert stays the incident's
    headline, and the incident's history stays together."""
    emulator.config.faults = {Fault.SERVER_ERROR}
    [alert] = await slack.wait_for("chat.postMessage", timeout=8)
    [alert_ts] = [ts for (channel, ts) in slack.messages if channel == CHANNEL]
    [actions] = [b for b in alert.args["blocks"] if b["type"] == "actions"]
    message = {"type": "message", "ts": alert_ts, "text": alert.args["text"]}
    for n, button in enumerate(actions["elements"]):
        fields = {"channel_id": CHANNEL, "message": message}
        await bot.click(button["action_id"], button["value"], name=f"a{n}", ts=alert_ts, **fields)
        async with asyncio.timeout(8):  # polled: the reply is posted by a background job
            while not thread_replies(slack, alert_ts, button["value"]):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
    assert slack.responses["a0"] == [] and slack.responses["a1"] == []
    assert all(u.args["text"].startswith("🚨") for u in slack.calls_to("chat.update"))
