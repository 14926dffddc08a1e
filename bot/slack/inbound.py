"""What Slack sends, read once: a slash command, a mention or direct message, or a button
click becomes an `Ask` (the words to run, who asked and where, where the answer goes, when).
Plain functions over payload dicts, so they are tested without an App."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from bot.services import Origin
from bot.slack.client import Destination


@dataclass(frozen=True)
class Ask:
    text: str
    origin: Origin
    dest: Destination
    at: datetime = field(default_factory=lambda: datetime.now(UTC))
    ts: str | None = None  # the message to react to (mentions and direct messages)


def ask_from_command(command: Mapping[str, Any]) -> Ask:
    user, channel = str(command.get("user_id", "")), str(command.get("channel_id", ""))
    dest = Destination(channel, user, response_url=command.get("response_url") or None)
    return Ask(str(command.get("text", "")), Origin(user, channel), dest)


def ask_from_message(event: Mapping[str, Any], bot_user_id: str | None) -> Ask:
    """A mention or a direct message, answered in its thread (a new one unless in one)."""
    user, channel, ts = str(event.get("user", "")), str(event.get("channel", "")), event["ts"]
    thread = str(event.get("thread_ts") or ts)
    text = str(event.get("text", ""))
    if bot_user_id:  # the parser drops a leading mention; one elsewhere is noise too
        text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text)
    private = event.get("channel_type") == "im" or is_im(channel)
    dest = Destination(channel, user, thread_ts=thread, private=private)
    return Ask(text, Origin(user, channel, thread), dest, ts=str(ts))


def ask_from_action(body: Mapping[str, Any], action: Mapping[str, Any], *, replace: bool) -> Ask:
    """A button click: its value holds the command words; `replace` re-renders the message."""
    user = str((body.get("user") or {}).get("id", ""))
    container = body.get("container") or {}
    channel = str((body.get("channel") or {}).get("id") or container.get("channel_id", ""))
    thread = (body.get("message") or {}).get("thread_ts")
    dest = Destination(
        channel,
        user,
        response_url=body.get("response_url") or None,
        thread_ts=thread,
        message_ts=container.get("message_ts"),
        replace_original=replace,
        private=is_im(channel),
    )
    return Ask(str(action.get("value", "")), Origin(user, channel, thread), dest)


def ask_from_alert_action(body: Mapping[str, Any], action: Mapping[str, Any]) -> Ask:
    """A click on an alert's button: answered in the alert's thread through the Web API (a
    response_url post lands outside the thread), so the alert stays and the incident's
    history stays together."""
    ask = ask_from_action(body, action, replace=False)
    thread = (body.get("message") or {}).get("thread_ts") or ask.dest.message_ts
    dest = replace(ask.dest, response_url=None, thread_ts=thread)
    return replace(ask, origin=replace(ask.origin, thread_ts=thread), dest=dest)


def is_direct_message(event: Mapping[str, Any]) -> bool:
    """A person's message in the bot's DM; edits, joins and bots' messages are not commands."""
    return (
        event.get("channel_type") == "im"
        and "subtype" not in event
        and not event.get("bot_id")
        and bool(event.get("user"))
    )


def is_im(channel_id: str) -> bool:
    return channel_id.startswith("D")  # Slack's direct-message conversation ids
