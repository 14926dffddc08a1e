"""Commands back to words: the help text built from COMMANDS, and the canonical text of a
parsed command (what the Re-run button carries and reports are titled with)."""

from __future__ import annotations

import json

from bot.durations import format_duration
from bot.grammar.commands import (
    COMMANDS,
    Channels,
    Check,
    Command,
    CommandSpec,
    Diagnose,
    Help,
    JsonValue,
    Mute,
    Publish,
    Tail,
    TailStop,
    topics,
)
from bot.grammar.errors import ParseError, quote, suggest


def help_text(topic: str | None = None) -> str:
    """Usage with examples from COMMANDS: every command, or those whose verb starts with topic."""
    if topic is None:
        intro = "Type a command after /centrifugo in Slack, or after centrifugo-bot in a terminal:"
        lines = [_help_line(spec) for spec in COMMANDS]
        return "\n".join([intro, *lines, "`help COMMAND` tells more about one command."])
    specs = [spec for spec in COMMANDS if spec.verb.split()[0] == topic.lower()]
    if not specs:
        raise ParseError(f"No help for {quote(topic)}.{suggest(topic, topics())}", topic)
    return "\n".join(_help_line(spec) for spec in specs)


def _help_line(spec: CommandSpec) -> str:
    flagged = {"Slack only": spec.slack_only, "privileged": spec.privileged}
    notes = ", ".join(note for note, on in flagged.items() if on)
    flags = f" ({notes})" if notes else ""
    example = f", e.g. `{spec.example}`" if spec.example != spec.usage else ""
    return f"• `{spec.usage}`: {spec.summary}{flags}{example}"


def command_words(cmd: Command) -> str:
    """The canonical text of `cmd` ("diagnose org 123"), which parse_command reads back."""
    match cmd:
        case Help(word) | Channels(word) | TailStop(word):
            words = [cmd.verb, word]
        case Diagnose(org):
            words = ["diagnose", *_org_words(org)]
        case Check(check_id, org):
            words = ["check", check_id, *_org_words(org)]
        case Publish(channel, data):
            words = ["publish", channel, _json_words(data)]
        case Tail(channel, seconds):
            words = ["tail", channel, None if seconds is None else format_duration(seconds)]
        case Mute(seconds):
            words = ["mute", format_duration(seconds)]
        case _:
            words = [cmd.verb]
    return " ".join(word for word in words if word is not None)


def _org_words(org: str | None) -> list[str]:
    return [] if org is None else ["org", org]


def _json_words(data: JsonValue) -> str:
    # Compact and readable, but a smart quote inside a string stays escaped: parsing would
    # otherwise straighten it into a quote that ends the string.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.translate({ord(q): f"\\u{ord(q):04x}" for q in "“”‘’"})
