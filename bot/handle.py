"""From what a Slack user typed to an Answer: channel permission, Slack's text escaping, the
parser, user permission, then `execute`. Every user error becomes a Notice here, so listeners
and flows never see a ParseError or NotAllowed.
"""

from __future__ import annotations

from bot.answers import Answer, Notice, NoticeKind
from bot.commands import execute, instant_answer
from bot.grammar import Command, ParseError, parse_command
from bot.permissions import NotAllowed, check_channel, check_user
from bot.render.labels import label
from bot.services import Origin, Services
from bot.settings import Settings
from checks.catalogue import catalogue
from checks.model import Language


def unescape_slack(text: str) -> str:
    """Slack sends `<`, `>` and `&` as HTML entities in command and message text."""
    # &amp; last, so "&amp;lt;" (a literal "&lt;" typed by the user) stays "&lt;".
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def admit(text: str, origin: Origin, settings: Settings) -> Command | Notice:
    """The command to run, or the Notice that answers instead (refusal, usage error, help).

    Cheap and free of I/O, so a slash command can be refused or corrected in its ack.
    """
    try:
        check_channel(origin, settings)
        command = parse_command(unescape_slack(text), check_ids=tuple(catalogue()))
        check_user(command, origin, settings)
    except ParseError as error:
        return usage_notice(error, settings.bot_language)
    except NotAllowed as refusal:
        return refusal.notice()
    return instant_answer(command) or command


async def handle(text: str, origin: Origin, services: Services) -> Answer:
    """Answer `text` as typed by `origin`: a Report, or a Notice (help, usage, refusal, ...)."""
    admitted = admit(text, origin, services.settings)
    if isinstance(admitted, Notice):
        return admitted
    return await execute(admitted, services, origin)


def usage_notice(error: ParseError, lang: Language) -> Notice:
    lines = [label(lang, "usage_hint", usage=error.usage)] if error.usage else []
    body = "\n".join([*lines, label(lang, "help_hint")])
    return Notice(str(error), body, NoticeKind.USAGE)
