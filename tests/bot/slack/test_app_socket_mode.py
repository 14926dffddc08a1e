"""The Slack app in Socket Mode (SLACK_APP_TOKEN set): it opens its connection through
apps.connections.open at SLACK_API_URL, acks every envelope on the socket, and answers exactly
as in HTTP mode. The Slack stand-in plays the Socket Mode server and records the acks."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.render.blocks import RERUN_ACTION
from tests.bot.slack.app_harness import BotClient, bot_settings, serving
from tests.fakes.centrifugo.server import Emulator
from tests.fakes.slack import (
    APP_TOKEN,
    SlackStandIn,
    app_mention,
    block_action_payload,
    event_payload,
    slash_command_payload,
)


@pytest.fixture
async def slack() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn() as standin:
        yield standin


@pytest.fixture
async def bot(slack: SlackStandIn, emulator: Emulator) -> AsyncIterator[BotClient]:
    settings = bot_settings(
        slack, emulator.url, slack_app_token=APP_TOKEN, slack_signing_secret=None
    )
    async with serving(settings, slack) as client:
        await slack.wait_connected()
        yield client


def seed_message(slack: SlackStandIn, channel: str, ts: str) -> None:
    slack.workspace.messages[(channel, ts)] = {
        "type": "message",
        "user": "U1",
        "ts": ts,
        "text": "x",
    }


async def test_connects_with_the_app_token_and_reports_it(
    bot: BotClient, slack: SlackStandIn
) -> None:
    [opened] = slack.calls_to("apps.connections.open")
    assert opened.headers["Authorization"] == f"Bearer {APP_TOKEN}"
    health = await bot.healthz()
    assert health.status == 200
    assert (health.json()["status"], health.json()["mode"]) == ("up", "socket")


async def test_no_http_events_endpoint_in_socket_mode(bot: BotClient) -> None:
    assert (await bot.command("ping")).status in (404, 405)


async def test_slash_command_is_acked_on_the_socket_and_answered(
    bot: BotClient, slack: SlackStandIn
) -> None:
    payload = slash_command_payload("ping", response_url=slack.response_url("sm"))
    envelope = await slack.send_envelope("slash_commands", payload)
    ack = await slack.wait_for_ack(envelope)
    assert ack.payload == {"text": "Running `ping`…"}
    [answer] = await slack.wait_for_response("sm")
    assert answer["response_type"] == "in_channel" and "ping" in answer["text"]


async def test_usage_error_is_the_ack_itself(bot: BotClient, slack: SlackStandIn) -> None:
    payload = slash_command_payload("pnig", response_url=slack.response_url("sm"))
    ack = await slack.wait_for_ack(await slack.send_envelope("slash_commands", payload))
    assert ack.payload is not None
    assert ack.payload["text"].startswith("Unknown command `pnig`. Did you mean `ping`?")
    assert slack.responses["sm"] == []


async def test_mention_envelope_is_acked_then_answered_in_thread(
    bot: BotClient, slack: SlackStandIn
) -> None:
    seed_message(slack, "C1", "1700000000.000001")
    event = app_mention("<@UBOT> ping", ts="1700000000.000001")
    envelope = await slack.send_envelope("events_api", event_payload(event, "EvS1"))
    assert (await slack.wait_for_ack(envelope)).payload is None
    [posted] = await slack.wait_for("chat.postMessage")
    assert posted.args["thread_ts"] == "1700000000.000001"


async def test_retried_envelope_is_acked_and_not_run_again(
    bot: BotClient, slack: SlackStandIn
) -> None:
    seed_message(slack, "C1", "1700000000.000002")
    payload = event_payload(app_mention("<@UBOT> ping", ts="1700000000.000002"), "EvS2")
    await slack.send_envelope("events_api", payload)
    retry = await slack.send_envelope(
        "events_api", payload, retry_attempt=1, retry_reason="timeout"
    )
    await slack.wait_for_ack(retry)
    await slack.wait_for("reactions.add", count=2)
    assert len(slack.calls_to("chat.postMessage")) == 1


async def test_button_click_replaces_the_message(bot: BotClient, slack: SlackStandIn) -> None:
    payload = block_action_payload(
        RERUN_ACTION,
        "ping",
        response_url=slack.response_url("btn"),
        message_ts="1.0",
        message={"type": "message", "ts": "1.0", "text": "old report"},
    )
    await slack.wait_for_ack(await slack.send_envelope("interactive", payload))
    [answer] = await slack.wait_for_response("btn")
    assert answer["replace_original"] is True


async def test_reconnects_when_slack_asks(bot: BotClient, slack: SlackStandIn) -> None:
    await slack.send_disconnect()
    await slack.wait_connected(count=2)
    payload = slash_command_payload("help", response_url=slack.response_url("sm"))
    ack = await slack.wait_for_ack(await slack.send_envelope("slash_commands", payload))
    assert ack.payload is not None and "diagnose [org ID]" in str(ack.payload)
