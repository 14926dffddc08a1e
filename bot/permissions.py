"""Who may do what in Slack: ALLOWED_CHANNEL_IDS limits where the bot answers at all, and
PRIVILEGED_USER_IDS limits the commands the grammar marks privileged (publish, tail, mute).

User errors, safe to show in Slack as they are (internal errors never are):

    Exception
    ├── bot.grammar.ParseError   the text is not a command (names the bad word)
    └── NotAllowed               the command may not run here, or not for this user
"""

from __future__ import annotations

from bot.answers import Notice, NoticeKind
from bot.grammar import Command, spec_for
from bot.render.labels import label
from bot.services import Origin
from bot.settings import Settings

MAX_CHANNELS_SHOWN = 5


class NotAllowed(Exception):
    """A refusal; `title` says what was refused and `reason` why, both safe to show."""

    def __init__(self, title: str, reason: str) -> None:
        super().__init__(title)
        self.title = title
        self.reason = reason

    def notice(self) -> Notice:
        return Notice(self.title, self.reason, NoticeKind.REFUSED)


def check_channel(origin: Origin, settings: Settings) -> None:
    """Raises NotAllowed when ALLOWED_CHANNEL_IDS is set and does not list the origin's channel.

    A terminal has no channel and is never refused: whoever runs the CLI has the settings.
    """
    allowed = settings.allowed_channel_ids
    if not origin.in_slack or not allowed or origin.channel_id in allowed:
        return
    lang = settings.bot_language
    shown = ", ".join(f"<#{channel}>" for channel in allowed[:MAX_CHANNELS_SHOWN])
    if len(allowed) > MAX_CHANNELS_SHOWN:
        shown += f" (+{len(allowed) - MAX_CHANNELS_SHOWN})"
    raise NotAllowed(
        label(lang, "channel_refused"), label(lang, "channel_refused_why", channels=shown)
    )


def check_user(command: Command, origin: Origin, settings: Settings) -> None:
    """Raises NotAllowed when a Slack user not in PRIVILEGED_USER_IDS runs a privileged command."""
    if not origin.in_slack or not spec_for(command).privileged:
        return
    if origin.user_id in settings.privileged_user_ids:
        return
    lang = settings.bot_language
    raise NotAllowed(
        label(lang, "user_refused", verb=command.verb), label(lang, "user_refused_why")
    )
