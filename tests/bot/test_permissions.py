"""Who may do what: ALLOWED_CHANNEL_IDS limits where the bot answers, PRIVILEGED_USER_IDS limits
publish, tail and mute; every refusal is ephemeral and says why. Rules first, then the app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from bot.grammar import Diagnose, Mute, Publish, Tail, TailStop, Unmute
from bot.permissions import NotAllowed, check_channel, check_user
from bot.render.blocks import RERUN_ACTION
from bot.services import TERMINAL, Origin
from bot.settings import Settings, load_settings
from tests.bot.slack.app_harness import BotClient, bot_settings, serving
from tests.fakes.centrifugo.server import Emulator
from tests.fakes.slack import SlackStandIn, app_mention


def rules() -> Settings:
    """Built inside each test, once the environment is scrubbed."""
    return load_settings(allowed_channel_ids="C1,C2", privileged_user_ids="UADMIN")


def no_rules() -> Settings:
    return load_settings()


@pytest.mark.parametrize(
    ("settings", "origin", "allowed"),
    [
        (rules, Origin("U1", "C1"), True),
        (rules, Origin("U1", "C3"), False),
        (rules, Origin("U1", "D1"), False),  # a DM is a conversation like any other
        (rules, TERMINAL, True),  # whoever runs the CLI holds the settings already
        (no_rules, Origin("U1", "C3"), True),  # no list: every channel
    ],
    ids=["listed", "not-listed", "dm-not-listed", "terminal", "no-list"],
)
def test_channels(settings: Callable[[], Settings], origin: Origin, allowed: bool) -> None:
    if allowed:
        check_channel(origin, settings())
    else:
        with pytest.raises(NotAllowed, match="I don't answer in this channel") as refused:
            check_channel(origin, settings())
        assert "<#C1>, <#C2>" in refused.value.reason


PRIVILEGED = [Publish("test", {}), Tail("test", 60), TailStop(), Mute(3600), Unmute()]


@pytest.mark.parametrize("command", PRIVILEGED, ids=lambda c: c.verb)
def test_privileged_commands_need_a_privileged_user(command: Any) -> None:
    check_user(command, Origin("UADMIN", "C1"), rules())
    check_user(command, TERMINAL, rules())
    with pytest.raises(NotAllowed) as refused:
        check_user(command, Origin("U1", "C1"), rules())
    assert refused.value.title == f"`{command.verb}` is for privileged users"
    assert "PRIVILEGED_USER_IDS" in refused.value.reason
    with pytest.raises(NotAllowed):  # nobody is privileged until someone is named
        check_user(command, Origin("UADMIN", "C1"), no_rules())


def test_everyone_may_diagnose() -> None:
    check_user(Diagnose("123"), Origin("U1", "C1"), rules())


def test_refusals_in_portuguese() -> None:
    settings = load_settings(allowed_channel_ids="C1", bot_language="pt-BR")
    with pytest.raises(NotAllowed, match="Não respondo neste canal"):
        check_channel(Origin("U1", "C9"), settings)


# Through the app


@pytest.fixture
async def bot(emulator: Emulator) -> AsyncIterator[BotClient]:
    async with SlackStandIn() as slack:
        settings = bot_settings(
            slack, emulator.url, allowed_channel_ids="C1", privileged_user_ids="UADMIN"
        )
        async with serving(settings, slack) as client:
            yield client


async def test_a_command_in_another_channel_is_refused_in_the_ack(bot: BotClient) -> None:
    ack = await bot.command("diagnose", channel_id="C9")
    body = ack.json()
    assert "response_type" not in body  # ephemeral
    assert body["text"] == "I don't answer in this channel"
    assert "ALLOWED_CHANNEL_IDS limits me to: <#C1>" in body["blocks"][0]["text"]["text"]
    assert bot.services.require_slack().jobs.in_flight == 0


async def test_mute_by_an_ordinary_user_is_refused(bot: BotClient) -> None:
    body = (await bot.command("mute 1h", user_id="U1")).json()
    assert body["text"] == "`mute` is for privileged users"


async def test_mute_by_a_privileged_user_runs(bot: BotClient) -> None:
    ack = await bot.command("mute 1h", user_id="UADMIN")
    assert ack.text == "Running `mute 1h`…"
    [answer] = await bot.slack.wait_for_response("r1")
    # No scheduler in this build yet, and SCHEDULE_INTERVAL is 0: the answer says so.
    assert answer["text"] == "Scheduled checks are off"


async def test_a_button_in_another_channel_is_refused_without_replacing(bot: BotClient) -> None:
    await bot.click(RERUN_ACTION, "diagnose", channel_id="C9")
    [answer] = await bot.slack.wait_for_response("b1")
    assert answer["text"] == "I don't answer in this channel"
    assert answer["response_type"] == "ephemeral" and "replace_original" not in answer


async def test_a_mention_in_another_channel_is_refused_to_its_author(bot: BotClient) -> None:
    await bot.event(app_mention("<@UBOT> diagnose", channel_id="C9", ts="1700000000.000001"))
    [said] = await bot.slack.wait_for("chat.postEphemeral")
    assert (said.args["channel"], said.args["user"]) == ("C9", "U1")
    assert said.args["text"] == "I don't answer in this channel"
    assert bot.slack.calls_to("chat.postMessage") == []
