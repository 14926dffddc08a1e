"""The Slack app in HTTP mode, driven as Slack drives it: signed requests to /slack/events on a
real port, the Web API and response_url answered by the Slack stand-in, checks run against
the Centrifugo emulator. Each test reads like one thing the incident channel relies on."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.render.blocks import DETAILS_ACTION, FULL_ACTION, RERUN_ACTION
from bot.slack import flows
from tests.bot.slack.app_harness import SIGNING_SECRET, BotClient, bot_settings, serving
from tests.fakes.centrifugo.config import Fault
from tests.fakes.centrifugo.server import Emulator
from tests.fakes.slack import (
    SlackStandIn,
    app_mention,
    direct_message,
    signed_headers,
    slash_command_body,
)
from tests.fakes.slack.blocks import block_errors

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture
async def slack() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn() as standin:
        yield standin


def settings_for(slack: SlackStandIn, emulator: Emulator, **overrides: Any) -> Any:
    secrets = {
        "centrifugo_api_key": emulator.config.api_key,
        "centrifugo_token_hmac_secret_key": emulator.config.hmac_secret,
    }
    return bot_settings(slack, emulator.url, **{**secrets, **overrides})


@pytest.fixture
async def bot(slack: SlackStandIn, emulator: Emulator) -> AsyncIterator[BotClient]:
    async with serving(settings_for(slack, emulator), slack) as client:
        yield client


def texts(message: dict[str, Any]) -> str:
    """Every text of a message, blocks included, to search in."""
    found = [message.get("text", "")]
    for block in message.get("blocks", []):
        for part in [block.get("text"), *block.get("elements", [])]:
            if isinstance(part, dict):
                found.append(str(part.get("text", "")))
    return "\n".join(found)


def seed_message(slack: SlackStandIn, channel: str, ts: str, text: str) -> None:
    """A user's message the bot will react to: the stand-in only knows what was posted."""
    slack.workspace.messages[(channel, ts)] = {
        "type": "message",
        "user": "U1",
        "ts": ts,
        "text": text,
    }


# Slash commands


async def test_command_is_acked_at_once_and_answered_in_channel(
    bot: BotClient, slack: SlackStandIn
) -> None:
    started = time.perf_counter()
    ack = await bot.command("ping")
    ack_ms = (time.perf_counter() - started) * 1000
    assert (ack.status, ack.text) == (200, "Running `ping`…")
    assert ack_ms < 1000  # generous: the bar itself is measured by bench/ack_latency.py

    [answer] = await slack.wait_for_response("r1")
    assert answer["response_type"] == "in_channel"
    assert answer["blocks"][0]["type"] == "header"
    assert "OK · ping" in answer["blocks"][0]["text"]["text"]
    assert "*server.ping*" in texts(answer)
    assert "<@U1>" in texts(answer)  # the context line names who asked
    actions = next(b for b in answer["blocks"] if b["type"] == "actions")["elements"]
    assert [(a["action_id"], a["value"]) for a in actions] == [
        (RERUN_ACTION, "ping"),
        (FULL_ACTION, "diagnose"),
        (DETAILS_ACTION, "ping"),
    ]
    assert block_errors(answer["blocks"]) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("help", "diagnose [org ID]"),
        ("", "diagnose [org ID]"),
        ("frobnicate", "Unknown command `frobnicate`"),
        ("diagnose org", "Missing org ID"),
    ],
    ids=["help", "empty-is-help", "unknown-verb", "missing-word"],
)
async def test_help_and_usage_errors_are_answered_in_the_ack(
    bot: BotClient, slack: SlackStandIn, text: str, expected: str
) -> None:
    ack = await bot.command(text)
    assert ack.status == 200
    body = ack.json()
    assert "response_type" not in body  # an ack is ephemeral unless it says otherwise
    assert expected in texts(body)
    await asyncio.sleep(0.05)
    assert slack.responses["r1"] == [] and slack.calls_to("chat.postMessage") == []


async def test_slack_escaping_is_undone_before_parsing(bot: BotClient, slack: SlackStandIn) -> None:
    ack = await bot.command("channels org:1&amp;2&lt;")
    assert "Bad pattern `org:1&2<`" in texts(ack.json())


def forged_headers(body: str, how: str) -> dict[str, str]:
    if how == "bad-signature":
        return signed_headers(body, "not-the-signing-secret")
    if how == "stale-timestamp":  # a replay: Slack's signatures are good for five minutes
        return signed_headers(body, SIGNING_SECRET, timestamp=int(time.time()) - 600)
    unsigned = signed_headers(body, SIGNING_SECRET)
    del unsigned["X-Slack-Signature"]
    return unsigned


@pytest.mark.parametrize("how", ["bad-signature", "stale-timestamp", "unsigned"])
async def test_requests_not_signed_by_slack_are_refused(
    bot: BotClient, slack: SlackStandIn, how: str
) -> None:
    body = slash_command_body("diagnose", response_url=slack.response_url("forged"))
    answer = await bot.post(body, forged_headers(body, how))
    assert answer.status == 401
    await asyncio.sleep(0.1)
    assert slack.responses["forged"] == []
    assert bot.services.require_slack().jobs.in_flight == 0


async def test_a_reply_the_response_url_refuses_goes_through_chat_post_message(
    bot: BotClient, slack: SlackStandIn
) -> None:
    slack.fail_response("r1", status=404)
    await bot.command("ping")
    [posted] = await slack.wait_for("chat.postMessage")
    assert posted.args["channel"] == "C1" and posted.error is None
    assert "ping" in posted.args["text"]


async def test_rate_limited_and_failing_slack_calls_are_retried(
    bot: BotClient, slack: SlackStandIn
) -> None:
    slack.fail_response("r1", status=404)
    slack.fail_next("chat.postMessage", status=429, retry_after=0)
    slack.fail_next("chat.postMessage", status=503)
    await bot.command("ping")
    calls = await slack.wait_for("chat.postMessage", count=3, timeout=10)
    assert [c.status for c in calls] == [429, 503, 200]


async def test_an_undeliverable_reply_is_logged_with_the_reason(
    bot: BotClient, slack: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    slack.fail_response("r1", status=404)
    slack.fail_next("chat.postMessage", error="not_in_channel")
    await bot.command("ping")
    await slack.wait_for("chat.postMessage")
    await wait_until(
        lambda: any("could not be delivered" in r.getMessage() for r in caplog.records)
    )
    [line] = [r.getMessage() for r in caplog.records if "could not be delivered" in r.getMessage()]
    assert "C1" in line and "not_in_channel" in line


# Buttons


async def test_rerun_replaces_the_original_message(bot: BotClient, slack: SlackStandIn) -> None:
    ack = await bot.click(RERUN_ACTION, "ping", name="b1")
    assert (ack.status, ack.text) == (200, "")
    [answer] = await slack.wait_for_response("b1")
    assert answer["replace_original"] is True and answer["response_type"] == "in_channel"
    assert "OK · ping" in texts(answer)


async def test_full_diagnosis_runs_every_check(bot: BotClient, slack: SlackStandIn) -> None:
    await bot.click(FULL_ACTION, "diagnose org 123", name="b1")
    [answer] = await slack.wait_for_response("b1")
    assert "diagnose org 123" in answer["text"]
    for check_id in ("config", "server.ping", "websocket.connect", "subscribe", "channels"):
        assert f"*{check_id}*" in texts(answer)


async def test_details_show_the_latest_run_of_that_command_in_that_channel(
    bot: BotClient, slack: SlackStandIn
) -> None:
    await bot.command("stats")
    await slack.wait_for_response("r1")
    await bot.click(DETAILS_ACTION, "stats", name="b1")
    [details] = await slack.wait_for_response("b1")
    assert details["response_type"] == "ephemeral" and "replace_original" not in details
    assert "Details of `stats`" in texts(details)
    assert "no longer in memory" not in texts(details)
    assert '"version": "6.9.1 OSS"' in texts(details)
    assert block_errors(details["blocks"]) == []


async def test_details_after_a_restart_come_from_a_new_run(
    bot: BotClient, slack: SlackStandIn
) -> None:
    await bot.click(DETAILS_ACTION, "stats", name="b1")
    [details] = await slack.wait_for_response("b1")
    assert "no longer in memory" in texts(details)
    assert '"nodes"' in texts(details)


# Mentions and direct messages


async def test_mention_is_answered_in_its_thread_with_reactions(
    bot: BotClient, slack: SlackStandIn
) -> None:
    seed_message(slack, "C1", "1700000000.000001", "<@UBOT> ping")
    answer = await bot.event(app_mention("<@UBOT> ping", ts="1700000000.000001"), "Ev1")
    assert answer.status == 200
    [posted] = await slack.wait_for("chat.postMessage")
    assert posted.args["thread_ts"] == "1700000000.000001"
    assert "ping" in posted.args["text"]
    reactions = await slack.wait_for("reactions.add", count=2)
    assert [r.args["name"] for r in reactions] == ["eyes", "white_check_mark"]
    assert [r.args["name"] for r in slack.calls_to("reactions.remove")] == ["eyes"]


async def test_a_failing_command_gets_a_cross(slack: SlackStandIn, emulator: Emulator) -> None:
    emulator.config.faults.add(Fault.SERVER_ERROR)
    async with serving(settings_for(slack, emulator), slack) as bot:
        seed_message(slack, "C1", "1700000000.000001", "ping")
        await bot.event(app_mention("<@UBOT> ping", ts="1700000000.000001"))
        reactions = await slack.wait_for("reactions.add", count=2)
        assert reactions[-1].args["name"] == "x"


async def test_a_mention_whose_handling_raises_still_ends_with_a_cross(
    bot: BotClient, slack: SlackStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_: object) -> None:
        raise RuntimeError("a bug in the command")

    monkeypatch.setattr(flows, "handle", broken)
    seed_message(slack, "C1", "1700000000.000001", "<@UBOT> ping")
    await bot.event(app_mention("<@UBOT> ping", ts="1700000000.000001"))
    reactions = await slack.wait_for("reactions.add", count=2)
    assert [r.args["name"] for r in reactions] == ["eyes", "x"]
    assert [r.args["name"] for r in slack.calls_to("reactions.remove")] == ["eyes"]


async def test_direct_message_is_answered_in_the_conversation(
    bot: BotClient, slack: SlackStandIn
) -> None:
    seed_message(slack, "D1", "1700000000.000002", "help")
    await bot.event(direct_message("help", ts="1700000000.000002"), "Ev2")
    [posted] = await slack.wait_for("chat.postMessage")
    assert posted.args["channel"] == "D1" and posted.args["thread_ts"] == "1700000000.000002"
    assert "diagnose [org ID]" in texts(posted.args)
    assert slack.calls_to("chat.postEphemeral") == []  # nobody else is in a DM


async def test_a_mention_with_a_usage_error_is_ephemeral_in_the_thread(
    bot: BotClient, slack: SlackStandIn
) -> None:
    seed_message(slack, "C1", "1700000000.000003", "<@UBOT> pnig")
    await bot.event(app_mention("<@UBOT> pnig", ts="1700000000.000003"))
    [said] = await slack.wait_for("chat.postEphemeral")
    assert said.args["user"] == "U1" and said.args["thread_ts"] == "1700000000.000003"
    assert "Did you mean `ping`?" in texts(said.args)


@pytest.mark.parametrize(
    "repeat",
    [{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}, {}],
    ids=["retry-header", "same-event-id"],
)
async def test_redelivered_events_never_run_twice(
    bot: BotClient, slack: SlackStandIn, repeat: dict[str, str]
) -> None:
    seed_message(slack, "C1", "1700000000.000004", "ping")
    event = app_mention("<@UBOT> ping", ts="1700000000.000004")
    await bot.event(event, "EvSame")
    assert (await bot.event(event, "EvSame", **repeat)).status == 200
    await slack.wait_for("reactions.add", count=2)
    await asyncio.sleep(0.2)
    assert len(slack.calls_to("chat.postMessage")) == 1


async def test_a_retry_of_an_event_that_never_arrived_runs_once(
    bot: BotClient, slack: SlackStandIn
) -> None:
    seed_message(slack, "C1", "1700000000.000005", "ping")
    event = app_mention("<@UBOT> ping", ts="1700000000.000005")
    retry = {"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_error"}
    assert (await bot.event(event, "EvLost", **retry)).status == 200
    assert (await bot.event(event, "EvLost", **{"X-Slack-Retry-Num": "3"})).status == 200
    await slack.wait_for("chat.postMessage")
    await asyncio.sleep(0.2)
    assert len(slack.calls_to("chat.postMessage")) == 1


# Health, language, shutdown


async def test_healthz_says_the_bot_is_up(bot: BotClient) -> None:
    health = await bot.healthz()
    assert health.status == 200
    body = health.json()
    assert (body["status"], body["mode"], body["scheduled_checks"]) == ("up", "http", "off")
    assert body["in_flight"] == 0


async def test_brazilian_portuguese(slack: SlackStandIn, emulator: Emulator) -> None:
    async with serving(settings_for(slack, emulator, bot_language="pt-BR"), slack) as bot:
        ack = await bot.command("ping")
        assert ack.text == "Executando `ping`…"
        [answer] = await slack.wait_for_response("r1")
        assert "Pedido por <@U1>" in texts(answer)
        assert "Executar de novo" in texts(answer)


async def test_shutdown_tells_users_whose_command_was_interrupted(
    slack: SlackStandIn, emulator: Emulator
) -> None:
    emulator.config.faults.add(Fault.SLOW)
    emulator.config.slow_seconds = 5
    settings = settings_for(slack, emulator, check_timeout=4)
    async with serving(settings, slack, grace=0.2) as bot:
        assert (await bot.command("ping")).status == 200
        await asyncio.sleep(0.1)
        assert bot.services.require_slack().jobs.in_flight == 1
    [told] = slack.responses["r1"]
    assert told["text"] == "`ping` was interrupted by a bot restart: run it again."
    assert told["response_type"] == "ephemeral"


async def test_shutdown_waits_for_commands_within_the_grace(
    slack: SlackStandIn, emulator: Emulator
) -> None:
    emulator.config.faults.add(Fault.SLOW)
    emulator.config.slow_seconds = 0.3
    async with serving(settings_for(slack, emulator), slack, grace=5) as bot:
        await bot.command("ping")
        await asyncio.sleep(0.05)
    [answer] = slack.responses["r1"]
    assert answer["response_type"] == "in_channel"


async def wait_until(condition: Any, timeout: float = 5) -> None:  # noqa: ASYNC109
    async with asyncio.timeout(timeout):
        while not condition():  # noqa: ASYNC110 - log records come with no event to await
            await asyncio.sleep(0.01)


async def test_a_command_mentioning_payload_is_not_dropped(
    slack: SlackStandIn, emulator: Emulator
) -> None:
    """bolt reads any form body containing "payload" as an interactive payload; the bot must not
    lose `/centrifugo publish test {"payload": 1}` to that."""
    settings = settings_for(slack, emulator, privileged_user_ids="U1")
    async with serving(settings, slack) as bot:
        ack = await bot.command('publish test {"payload": 1}')
        assert ack.status == 200
        [answer] = await slack.wait_for_response("r1")
    assert "offset" in texts(answer) or "published" in texts(answer).lower()
    assert emulator.hub.published == [("test", {"payload": 1})]
