"""What happens after the ack, one flow per way a command reaches the bot: a slash command, a
mention or direct message, a "Re-run"/"Full diagnosis" click (on a report or on an alert), a
"Show details" click. Each is `answer = await ...` then deliver; `teller` says what a job that
cannot finish tells its user.
"""

from __future__ import annotations

from bot.answers import Answer, Notice, NoticeKind, exit_code
from bot.commands import execute
from bot.grammar import Command
from bot.handle import handle
from bot.render.labels import label
from bot.services import Services
from bot.slack.inbound import Ask
from bot.slack.jobs import Ending, Tell
from bot.slack.replies import details_reply, reply_for
from checks.model import Report

WORKING, SUCCEEDED, FAILED = "eyes", "white_check_mark", "x"


async def answer_command(services: Services, ask: Ask, command: Command) -> None:
    """A slash command admitted in its ack: run it, answer through its response_url."""
    await send(services, ask, await execute(command, services, ask.origin))


async def answer_message(services: Services, ask: Ask) -> None:
    """A mention or direct message: 👀 while working, the answer in the thread, then ✅/❌."""
    outbox = services.require_slack().outbox
    channel, ts = ask.dest.channel_id, ask.ts or ""
    await outbox.react(channel, ts, WORKING)
    succeeded = False
    try:
        answer = await handle(ask.text, ask.origin, services)
        succeeded = await send(services, ask, answer) and exit_code(answer) == 0
    finally:  # a failure or an interruption must not leave 👀 on the message forever
        await outbox.react(channel, ts, WORKING, remove=True)
        await outbox.react(channel, ts, SUCCEEDED if succeeded else FAILED)


async def answer_rerun(services: Services, ask: Ask) -> None:
    """ "Re-run" or "Full diagnosis": the command in the button's value, where `ask.dest` says
    (replacing a report, or in an alert's thread)."""
    await send(services, ask, await handle(ask.text, ask.origin, services))


async def answer_details(services: Services, ask: Ask) -> None:
    """ "Show details": the remembered report of that command in that channel, else a new run."""
    slack = services.require_slack()
    report = slack.reports.latest(ask.dest.channel_id, ask.text)
    rerun = report is None
    if report is None:
        answer = await handle(ask.text, ask.origin, services)
        if not isinstance(answer, Report):
            await send(services, ask, answer)
            return
        remember(services, ask, answer)
        report = answer
    lang, redactor = services.settings.bot_language, services.redactor
    await slack.outbox.deliver(ask.dest, details_reply(report, lang, redactor, rerun=rerun))


async def send(services: Services, ask: Ask, answer: Answer) -> bool:
    remember(services, ask, answer)
    lang, redactor = services.settings.bot_language, services.redactor
    reply = reply_for(answer, lang, redactor, ask.origin.user_id, ask.at)
    return await services.require_slack().outbox.deliver(ask.dest, reply)


def remember(services: Services, ask: Ask, answer: Answer) -> None:
    if isinstance(answer, Report):
        services.require_slack().reports.remember(ask.dest.channel_id, answer)


def teller(services: Services, ask: Ask, words: str) -> Tell:
    """How a job for `ask` tells its user it was interrupted or failed (ephemeral)."""

    async def tell(ending: Ending) -> None:
        lang = services.settings.bot_language
        if ending is Ending.INTERRUPTED:
            notice = Notice(label(lang, "interrupted", command=words), kind=NoticeKind.ERROR)
        else:
            title = label(lang, "internal_error", command=words)
            notice = Notice(title, label(lang, "internal_error_why"), NoticeKind.ERROR)
        await send(services, ask, notice)

    return tell
