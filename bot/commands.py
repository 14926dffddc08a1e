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
    Ping,
    Stats,
    Token,
    Ws,
    command_words,
    help_text,
)
from bot.settings import Settings
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


async def execute(command: Command, settings: Settings) -> Answer:
    """Run one command once and answer it."""
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
    match command:
        case Help(topic=topic):
            return Notice("centrifugo-bot", help_text(topic))
        case _:
            return Notice(
                f"`{command_words(command)}` is not available here",
                "It runs in Slack, through `centrifugo-bot serve`.",
                NoticeKind.USAGE,
            )
