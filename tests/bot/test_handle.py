"""From typed text to an Answer: Slack's escaping undone, refusals and usage errors as notices,
help without I/O, checks run against the emulator, and features plugged into Services slots
(or honestly absent)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from bot.answers import Answer, Notice, NoticeKind
from bot.commands import execute
from bot.grammar import Command, Diagnose, Mute, Ping, Publish, Status, Tail, TailStop
from bot.handle import admit, handle, unescape_slack
from bot.services import TERMINAL, Origin, Services, terminal_services
from bot.settings import load_settings
from checks.model import Report
from tests.fakes.centrifugo.server import Emulator

SLACK_USER = Origin("U1", "C1")


@pytest.mark.parametrize(
    ("sent", "typed"),
    [
        ("a &lt;b&gt; &amp; c", "a <b> & c"),
        ("&amp;lt;", "&lt;"),  # the user typed "&lt;" literally
        ("plain", "plain"),
    ],
    ids=["entities", "escaped-entity", "plain"],
)
def test_unescape_slack(sent: str, typed: str) -> None:
    assert unescape_slack(sent) == typed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("diagnose org 123", Diagnose("123")),
        ("<@UBOT> ping", Ping()),
        ('publish test {"a": "&lt;b&gt;"}', Publish("test", {"a": "<b>"})),
    ],
    ids=["diagnose", "leading-mention", "escaped-json"],
)
def test_admit_returns_the_command_to_run(text: str, expected: Command) -> None:
    settings = load_settings(privileged_user_ids="U1")
    assert admit(text, SLACK_USER, settings) == expected


def test_admit_answers_help_without_running_anything() -> None:
    answer = admit("help tail", SLACK_USER, load_settings())
    assert isinstance(answer, Notice) and answer.kind is NoticeKind.INFO
    assert "tail CHANNEL [DURATION]" in answer.body


@pytest.mark.parametrize(
    ("text", "kind", "title", "body"),
    [
        ("diagnose orgg 1", NoticeKind.USAGE, "Expected `org ID`", "Usage: `diagnose [org ID]`"),
        ("zzz", NoticeKind.USAGE, "Unknown command `zzz`", "`/centrifugo help` lists"),
        ("tail test", NoticeKind.REFUSED, "`tail` is for privileged users", "PRIVILEGED"),
    ],
    ids=["bad-word", "unknown", "not-privileged"],
)
def test_admit_turns_user_errors_into_notices(
    text: str, kind: NoticeKind, title: str, body: str
) -> None:
    answer = admit(text, SLACK_USER, load_settings())
    assert isinstance(answer, Notice)
    assert (answer.kind, answer.public) == (kind, False)
    assert answer.title.startswith(title) and body in answer.body


async def test_handle_runs_checks_against_the_target(emulator: Emulator) -> None:
    settings = load_settings(centrifugo_url=emulator.url, check_timeout=2)
    answer = await handle("ping", SLACK_USER, terminal_services(settings))
    assert isinstance(answer, Report)
    assert (answer.command, [c.id for c in answer.checks]) == ("ping", ["server.ping"])


# Features that plug into Services


@dataclass
class RecordingResponder:
    """A stand-in feature: records what it was handed and answers with a fixed notice."""

    seen: list[tuple[Command, Origin]] = field(default_factory=list)

    async def answer(self, command: Command, origin: Origin) -> Answer:
        self.seen.append((command, origin))
        return Notice("handled")


async def test_scheduler_and_tails_get_their_commands_with_the_origin() -> None:
    scheduler, tails = RecordingResponder(), RecordingResponder()
    base = terminal_services(load_settings())
    services = Services(base.settings, base.redactor, scheduler=scheduler, tails=tails)
    assert await execute(Mute(60), services, SLACK_USER) == Notice("handled")
    assert await execute(Tail("test", 60), services, SLACK_USER) == Notice("handled")
    assert scheduler.seen == [(Mute(60), SLACK_USER)]
    assert tails.seen == [(Tail("test", 60), SLACK_USER)]


@pytest.mark.parametrize(
    ("command", "origin", "settings", "title", "kind"),
    [
        (Status(), SLACK_USER, {}, "Scheduled checks are off", NoticeKind.INFO),
        (
            Status(),
            SLACK_USER,
            {"schedule_interval": 300},
            "Scheduled checks are off",
            NoticeKind.INFO,
        ),
        (
            Status(),
            TERMINAL,
            {"schedule_interval": 300, "alert_channel": "C1"},
            "`status` is not available here",
            NoticeKind.USAGE,
        ),
        (
            Tail("test", 60),
            SLACK_USER,
            {},
            "`tail test 1m` is not available here",
            NoticeKind.USAGE,
        ),
        (TailStop(), TERMINAL, {}, "`tail stop` is not available here", NoticeKind.USAGE),
    ],
    ids=[
        "schedule-off",
        "no-alert-channel",
        "scheduler-lives-in-serve",
        "tail-without-serve",
        "tail-stop-at-terminal",
    ],
)
async def test_absent_features_say_so_honestly(
    command: Command, origin: Origin, settings: dict[str, object], title: str, kind: NoticeKind
) -> None:
    answer = await execute(command, terminal_services(load_settings(**settings)), origin)
    assert isinstance(answer, Notice)
    assert (answer.title, answer.kind) == (title, kind)
