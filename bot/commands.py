"""Runs a parsed command: the one place that maps the grammar onto checks and actions.

The CLI and the Slack listeners both call `execute`; neither knows what a command does.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.answers import Answer, Notice, NoticeKind
from bot.grammar import (
    Cert,
    Channels,
    Check,
    Command,
    Diagnose,
    Help,
    Mute,
    Ping,
    Publish,
    Stats,
    Status,
    Tail,
    TailStop,
    Token,
    Unmute,
    Ws,
    command_words,
    help_text,
    spec_for,
)
from bot.publish import publish_command
from bot.render.labels import label
from bot.services import TERMINAL, ListsRunning, Origin, Responder, Services
from checks.catalogue import catalogue
from checks.runner import run_checks


@dataclass(frozen=True)
class CheckPlan:
    """Which checks a command runs, and with what org or channel pattern."""

    check_ids: tuple[str, ...]
    org: str | None = None
    channel_pattern: str | None = None


def plan_for(command: Command) -> CheckPlan | None:
    """The checks a command runs, or None for commands that are not check runs."""
    match command:
        case Ping():
            return CheckPlan(("server.ping",))
        case Diagnose(org=org):
            return CheckPlan(tuple(catalogue()), org=org)
        case Check(check_id=check_id, org=org):
            return CheckPlan((check_id,), org=org)
        case Token():
            return CheckPlan(("token.endpoint", "token.claims"))
        case Ws():
            return CheckPlan(("websocket.connect", "websocket.origin"))
        case Cert():
            return CheckPlan(("tls",))
        case Stats():
            return CheckPlan(("server.info",))
        case Channels(pattern=pattern):
            return CheckPlan(("channels",), channel_pattern=pattern or "*")
        case _:
            return None


async def execute(command: Command, services: Services, origin: Origin = TERMINAL) -> Answer:
    """Run one command once and answer it; `origin` says who asked and where (Slack ids)."""
    settings = services.settings
    plan = plan_for(command)
    if plan is not None:
        return await run_checks(
            plan.check_ids,
            settings.target(),
            command=command_words(command),
            org=plan.org,
            channel_pattern=plan.channel_pattern,
            lang=settings.bot_language,
        )
    if (instant := instant_answer(command)) is not None:
        return instant
    match command:
        case _ if spec_for(command).slack_only and not origin.in_slack:
            return _notice(services, "slack_only", command, NoticeKind.USAGE)
        case Status():
            absent = _scheduler_absent(command, services)
            answer = await _delegate(command, services.scheduler, origin, absent)
            tails = services.tails
            return tails.with_running(answer) if isinstance(tails, ListsRunning) else answer
        case Mute() | Unmute():
            absent = _scheduler_absent(command, services)
            return await _delegate(command, services.scheduler, origin, absent)
        case Publish():
            return await publish_command(command, settings)
        case Tail() | TailStop():
            # Tails live in `serve`; the terminal's `tail` is streamed by bot.tail.cli instead.
            absent = _notice(services, "slack_only", command, NoticeKind.USAGE)
            return await _delegate(command, services.tails, origin, absent)
        case _:  # every verb has a case above: a new verb must get one
            raise AssertionError(f"no dispatch for {command.verb}")


def instant_answer(command: Command) -> Notice | None:
    """The answer of a command that needs no I/O (help), so Slack can have it in the ack."""
    match command:
        case Help(topic=topic):
            return Notice("centrifugo-bot", help_text(topic))
        case _:
            return None


async def _delegate(
    command: Command, responder: Responder | None, origin: Origin, absent: Notice
) -> Answer:
    """Hand the command to the feature that owns it, or say honestly that it is not there."""
    return absent if responder is None else await responder.answer(command, origin)


def _scheduler_absent(command: Command, services: Services) -> Notice:
    settings = services.settings
    if settings.schedule_interval == 0:
        return _notice(services, "schedule_off", command, NoticeKind.INFO)
    if not settings.alert_channel:
        return _notice(services, "schedule_no_channel", command, NoticeKind.INFO)
    # Configured, yet no scheduler here: this is the CLI, and the scheduler lives in `serve`.
    return _notice(services, "slack_only", command, NoticeKind.USAGE)


def _notice(services: Services, key: str, command: Command, kind: NoticeKind) -> Notice:
    """A localized notice from the `key` / `key_why` label pair."""
    lang = services.settings.bot_language
    words = command_words(command)
    return Notice(label(lang, key, command=words), label(lang, f"{key}_why"), kind)
