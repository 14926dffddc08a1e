"""What `tail`, `tail stop` and `status` answer about tails, as Notices: started (and capped),
already running, no thread, which tail to stop, and the running tails under `status`. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.answers import Answer, Notice, NoticeKind
from bot.durations import format_duration
from bot.render.labels import label
from bot.tail.batch import TailCounts
from bot.tail.model import TailInfo
from bot.tail.render import running_lines, time_left, who
from checks.model import Language


def started(info: TailInfo, lang: Language) -> Notice:
    duration = format_duration(info.seconds)
    why = label(lang, "tail_started_why")
    if info.requested_seconds is not None:
        requested = format_duration(info.requested_seconds)
        why += label(lang, "tail_capped", requested=requested, duration=duration)
    return Notice(label(lang, "tail_started", channel=info.channel, duration=duration), why)


def already_running(info: TailInfo, now: float, lang: Language) -> Notice:
    """A second `tail` of a channel points to the tail that is running."""
    why = label(
        lang,
        "tail_running_why",
        slack_channel=info.slack_channel,
        who=who(info.user_id, lang),
        left=time_left(info, now),
        channel=info.channel,
    )
    return Notice(label(lang, "tail_running", channel=info.channel), why)


def no_thread(error: Exception, lang: Language) -> Notice:
    why = label(lang, "tail_no_thread_why", error=error)
    return Notice(label(lang, "tail_no_thread"), why, NoticeKind.ERROR)


def stop_choice(
    channel: str | None, running: Sequence[str], lang: Language
) -> tuple[str | None, Notice]:
    """Which tail `tail stop [CHANNEL]` stops (None: none) and what it answers."""
    listing = ", ".join(f"`{name}`" for name in running)
    if not running:
        return None, Notice(label(lang, "tail_none"))
    if channel is None and len(running) > 1:
        why = label(lang, "tail_which_why", channels=listing, first=running[0])
        return None, Notice(label(lang, "tail_which"), why, NoticeKind.USAGE)
    channel = channel or running[0]
    if channel not in running:
        why = label(lang, "tail_not_running_why", channels=listing)
        return None, Notice(label(lang, "tail_not_running", channel=channel), why, NoticeKind.USAGE)
    title = label(lang, "tail_stopping", channel=channel)
    return channel, Notice(title, label(lang, "tail_stopping_why"))


def with_running_tails(
    answer: Answer, running: Sequence[tuple[TailInfo, TailCounts]], now: float, lang: Language
) -> Answer:
    """`status`'s answer with the running tails listed under it, when there are any."""
    if not running or not isinstance(answer, Notice):
        return answer
    section = f"*{label(lang, 'tails_title')}*\n{running_lines(running, now, lang)}"
    body = f"{answer.body}\n\n{section}" if answer.body else section
    return replace(answer, body=body)
