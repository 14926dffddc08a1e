"""What a command may use while it runs, passed down explicitly (nothing global): the settings,
the redaction layer and, in `serve`, the Slack side; plus who asked and where (`Origin`).

Long-lived features plug in here: the scheduler (status, mute, unmute) and tails (tail, tail
stop) are `Responder`s in their own slots; `bot.commands.execute` hands them their commands, and
where a slot is empty (a terminal, scheduling off) the command says so instead of pretending.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.answers import Answer
    from bot.grammar import Command
    from bot.redact import Redactor
    from bot.schedule.metrics import Metrics
    from bot.settings import Settings
    from bot.slack.client import Outbox
    from bot.slack.health import Health
    from bot.slack.jobs import Jobs
    from bot.slack.recent import RecentEvents, RecentReports


@dataclass(frozen=True)
class Origin:
    """Who typed a command and where, in Slack's ids; all None at a terminal."""

    user_id: str | None = None
    channel_id: str | None = None
    thread_ts: str | None = None

    @property
    def in_slack(self) -> bool:
        return self.user_id is not None


TERMINAL = Origin()


class Responder(Protocol):
    """A long-lived feature that answers its own commands (the scheduler, tails)."""

    async def answer(self, command: Command, origin: Origin) -> Answer: ...


@runtime_checkable
class ListsRunning(Protocol):
    """A feature that lists what it has running under `status`'s answer (tails)."""

    def with_running(self, answer: Answer) -> Answer: ...


@dataclass(frozen=True)
class SlackSide:
    """What only `serve` has: the Web API client, reply delivery, background jobs, memory of
    recent events and reports, and the health the /healthz route reports."""

    client: AsyncWebClient
    outbox: Outbox
    jobs: Jobs
    seen: RecentEvents
    reports: RecentReports
    health: Health


@dataclass(frozen=True)
class Services:
    settings: Settings
    redactor: Redactor
    slack: SlackSide | None = None
    scheduler: Responder | None = None  # status, mute, unmute: filled by the scheduler
    tails: Responder | None = None  # tail, tail stop: filled by tails
    metrics: Metrics | None = None  # the scheduled results /metrics exposes, in `serve`

    def require_slack(self) -> SlackSide:
        if self.slack is None:
            raise RuntimeError("the Slack side is only built by `centrifugo-bot serve`")
        return self.slack


def terminal_services(settings: Settings) -> Services:
    """The CLI's services: settings and redaction, no Slack."""
    from bot.redact import Redactor

    return Services(settings, Redactor(settings.secrets()))
