"""Text to a typed command: one parser for `/centrifugo WORDS` in Slack and `centrifugo-bot
WORDS` in a terminal, raising ParseError (and nothing else) for anything that is not one."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TypeAlias

from bot.durations import parse_seconds
from bot.grammar.commands import (
    SPECS,
    Cert,
    Channels,
    Check,
    Command,
    CommandSpec,
    Diagnose,
    Help,
    JsonValue,
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
    topics,
)
from bot.grammar.errors import ParseError, quote, suggest

MAX_INPUT_CHARS = 1000
MAX_DATA_BYTES = 8 * 1024
_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
# Slack's clients "smarten" quotes as people type, which would break every JSON payload.
_SMART_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


@dataclass(frozen=True)
class _WordRule:
    """What an ID-like word may hold, and how to tell the user so."""

    what: str
    pattern: re.Pattern[str]
    allowed: str

    def check(self, word: str) -> str:
        if self.pattern.fullmatch(word) is None:
            raise ParseError(f"Bad {self.what} {quote(word)}: use {self.allowed}.", word)
        return word


_ORG_ID = _WordRule(
    "org ID", re.compile(r"[A-Za-z0-9_-]{1,64}"), "letters, digits, _ or - (up to 64)"
)
_CHANNEL = _WordRule(
    "channel", re.compile(r"[A-Za-z0-9_:\-.$#,]{1,255}"), "letters, digits, _:-.$#, (up to 255)"
)
_PATTERN = _WordRule(
    "pattern", re.compile(r"[A-Za-z0-9_:\-*?.$#,]{1,128}"), "letters, digits, _:-*?.$#, (up to 128)"
)


def parse_command(text: str, check_ids: Collection[str]) -> Command:
    """The command in `text`; raises ParseError (and nothing else) when it is not one."""
    if len(text) > MAX_INPUT_CHARS:
        raise ParseError(
            f"Command too long: {len(text)} characters, the limit is {MAX_INPUT_CHARS}."
        )
    words = list(re.finditer(r"\S+", text))
    if words and _MENTION.fullmatch(words[0].group()):
        del words[0]  # an app mention the caller left in
    if not words:
        return Help()
    spec, used = _spec_at([word.group() for word in words[:2]])
    rest = words[used:]
    args = _Args(spec, tuple(w.group() for w in rest), tuple(text[w.start() :] for w in rest))
    try:
        return _PARSERS[spec.verb](args, check_ids)
    except ParseError as error:
        error.usage = error.usage or spec.usage
        raise


def _spec_at(words: list[str]) -> tuple[CommandSpec, int]:
    """The spec the first words name, the longest verb first ("tail stop" before "tail")."""
    two, one = " ".join(words).lower(), words[0].lower()
    if len(words) == 2 and two in SPECS:
        return SPECS[two], 2
    if one in SPECS:
        return SPECS[one], 1
    raise ParseError(f"Unknown command {quote(words[0])}.{suggest(one, topics())}", words[0])


@dataclass(frozen=True)
class _Args:
    """The words after the verb, and the text from each of them on (publish's JSON has spaces)."""

    spec: CommandSpec
    words: tuple[str, ...]
    rests: tuple[str, ...]

    def need(self, index: int, name: str) -> str:
        if index < len(self.words):
            return self.words[index]
        raise ParseError(f"Missing {name}: try `{self.spec.example}`.")

    def end(self, index: int) -> None:
        if index < len(self.words):
            word = self.words[index]
            raise ParseError(f"Unexpected {quote(word)} after `{self.spec.verb}`.", word)

    def last_optional(self, index: int) -> str | None:
        """The word at `index` if there is one, which must then be the last."""
        self.end(index + 1)
        return self.words[index] if index < len(self.words) else None


_Parser: TypeAlias = Callable[[_Args, Collection[str]], Command]


def _bare(make: Callable[[], Command]) -> _Parser:
    def parse(args: _Args, check_ids: Collection[str]) -> Command:
        args.end(0)
        return make()

    return parse


def _parse_help(args: _Args, check_ids: Collection[str]) -> Command:
    topic = args.last_optional(0)
    if topic is None:
        return Help()
    if topic.lower() not in topics():
        raise ParseError(f"No help for {quote(topic)}.{suggest(topic, topics())}", topic)
    return Help(topic.lower())


def _parse_diagnose(args: _Args, check_ids: Collection[str]) -> Command:
    return Diagnose(_org_from(args, 0))


def _parse_check(args: _Args, check_ids: Collection[str]) -> Command:
    word = args.need(0, "CHECK_ID")
    known = {check_id.lower(): check_id for check_id in check_ids}
    if word.lower() not in known:
        hint = suggest(word, known) or f" Known checks: {_listing(sorted(check_ids))}."
        raise ParseError(f"Unknown check {quote(word)}.{hint}", word)
    return Check(known[word.lower()], _org_from(args, 1))


def _parse_channels(args: _Args, check_ids: Collection[str]) -> Command:
    pattern = args.last_optional(0)
    return Channels(None if pattern is None else _PATTERN.check(pattern))


def _parse_publish(args: _Args, check_ids: Collection[str]) -> Command:
    channel = _CHANNEL.check(args.need(0, "CHANNEL"))
    args.need(1, "JSON")
    return Publish(channel, parse_json_data(args.rests[1]))


def _parse_tail(args: _Args, check_ids: Collection[str]) -> Command:
    channel = _CHANNEL.check(args.need(0, "CHANNEL"))
    duration = args.last_optional(1)
    return Tail(channel, None if duration is None else parse_duration(duration))


def _parse_tail_stop(args: _Args, check_ids: Collection[str]) -> Command:
    channel = args.last_optional(0)
    return TailStop(None if channel is None else _CHANNEL.check(channel))


def _parse_mute(args: _Args, check_ids: Collection[str]) -> Command:
    seconds = parse_duration(args.need(0, "DURATION"))
    args.end(1)
    return Mute(seconds)


_PARSERS: dict[str, _Parser] = {
    "help": _parse_help,
    "ping": _bare(Ping),
    "diagnose": _parse_diagnose,
    "check": _parse_check,
    "token": _bare(Token),
    "ws": _bare(Ws),
    "cert": _bare(Cert),
    "stats": _bare(Stats),
    "channels": _parse_channels,
    "publish": _parse_publish,
    "tail": _parse_tail,
    "tail stop": _parse_tail_stop,
    "status": _bare(Status),
    "mute": _parse_mute,
    "unmute": _bare(Unmute),
}


def _org_from(args: _Args, index: int) -> str | None:
    """The optional trailing `org ID`."""
    if index >= len(args.words):
        return None
    word = args.words[index]
    if word.lower() != "org":
        raise ParseError(f"Expected `org ID`, got {quote(word)}: try `{args.spec.example}`.", word)
    org = _ORG_ID.check(args.need(index + 1, "org ID"))
    args.end(index + 2)
    return org


def parse_duration(word: str) -> int:
    """Seconds in `30s`, `5m`, `1h`, `1h30m`, `7d`: more than 0, at most 7 days."""
    try:
        return parse_seconds(word)
    except ValueError as error:
        raise ParseError(f"Bad duration {quote(word)}: {error}.", word) from None


def parse_json_data(raw: str) -> JsonValue:
    """The JSON payload of `publish`: strict JSON, finite numbers, at most 8 KiB encoded."""
    text = raw.translate(_SMART_QUOTES).strip()
    try:
        data: JsonValue = json.loads(text)
        # ASCII-escaped is the largest form a client sends it in; UTF-8 must be able to carry it.
        size = len(json.dumps(data, separators=(",", ":"), allow_nan=False))
        json.dumps(data, ensure_ascii=False).encode()
    except json.JSONDecodeError as error:
        word = (text[error.pos :].split() or [""])[0]
        where = f" at {quote(word)}" if word else " at the end"
        raise ParseError(f"Invalid JSON{where}: {error.msg}.", word) from None
    except UnicodeEncodeError:
        raise ParseError("Invalid JSON: a string holds a lone surrogate escape.") from None
    except ValueError:
        raise ParseError("Invalid JSON: numbers must be finite (no NaN or Infinity).") from None
    except RecursionError:
        raise ParseError("Invalid JSON: nested too deeply.") from None
    if size > MAX_DATA_BYTES:
        raise ParseError(f"JSON too big: {size} bytes encoded, the limit is {MAX_DATA_BYTES}.")
    return data


def _listing(names: list[str], budget: int = 100) -> str:
    shown = ""
    for name in names:
        if len(shown) + len(name) > budget:
            return shown + "…"
        shown += f"{name}, "
    return shown.rstrip(", ")
