"""What users type: one parser for `/centrifugo WORDS` in Slack and `centrifugo-bot WORDS` in a
terminal, turning text into typed commands or a ParseError that is safe to show as is.

The COMMANDS table holds every verb with its usage, summary and example; it drives both the
dispatch in parse_command and help_text, so a command cannot exist without its help.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import ClassVar, TypeAlias

from bot.durations import format_duration, parse_seconds

JsonValue: TypeAlias = "bool | int | float | str | list[JsonValue] | dict[str, JsonValue] | None"

MAX_INPUT_CHARS = 1000
MAX_DATA_BYTES = 8 * 1024
_MAX_SHOWN = 32  # never echo much of what was typed: it may be a pasted secret or junk
_MAX_MESSAGE = 200


class ParseError(Exception):
    """The text is not a command; str() is a short message naming the bad word, safe to show.

    .word is that word escaped and truncated, .usage the command's usage line when known.
    """

    def __init__(self, message: str, word: str = "", usage: str | None = None) -> None:
        if len(message) > _MAX_MESSAGE:
            message = message[: _MAX_MESSAGE - 1] + "…"
        super().__init__(message)
        self.word = safe_word(word)
        self.usage = usage


def safe_word(word: str) -> str:
    """`word` fit to echo: unprintable characters and backticks escaped, at most 32 characters."""
    shown = ""
    for char in word:
        # Backticks would end the code span the word is shown in, in Slack.
        piece = char if char.isprintable() and char != "`" else _escape(char)
        if len(shown) + len(piece) > _MAX_SHOWN - 1:
            return shown + "…"
        shown += piece
    return shown


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _quote(word: str) -> str:
    return f"`{safe_word(word)}`"


@dataclass(frozen=True)
class Help:
    topic: str | None = None
    verb: ClassVar[str] = "help"


@dataclass(frozen=True)
class Ping:
    verb: ClassVar[str] = "ping"


@dataclass(frozen=True)
class Diagnose:
    org: str | None = None
    verb: ClassVar[str] = "diagnose"


@dataclass(frozen=True)
class Check:
    check_id: str
    org: str | None = None
    verb: ClassVar[str] = "check"


@dataclass(frozen=True)
class Token:
    verb: ClassVar[str] = "token"


@dataclass(frozen=True)
class Ws:
    verb: ClassVar[str] = "ws"


@dataclass(frozen=True)
class Cert:
    verb: ClassVar[str] = "cert"


@dataclass(frozen=True)
class Stats:
    verb: ClassVar[str] = "stats"


@dataclass(frozen=True)
class Channels:
    pattern: str | None = None
    verb: ClassVar[str] = "channels"


@dataclass(frozen=True)
class Publish:
    channel: str
    data: JsonValue
    verb: ClassVar[str] = "publish"


@dataclass(frozen=True)
class Tail:
    channel: str
    seconds: int | None = None
    verb: ClassVar[str] = "tail"


@dataclass(frozen=True)
class TailStop:
    channel: str | None = None
    verb: ClassVar[str] = "tail stop"


@dataclass(frozen=True)
class Status:
    verb: ClassVar[str] = "status"


@dataclass(frozen=True)
class Mute:
    seconds: int
    verb: ClassVar[str] = "mute"


@dataclass(frozen=True)
class Unmute:
    verb: ClassVar[str] = "unmute"


Command: TypeAlias = (
    Help | Ping | Diagnose | Check | Token | Ws | Cert | Stats | Channels | Publish | Tail
    | TailStop | Status | Mute | Unmute
)  # fmt: skip


@dataclass(frozen=True)
class CommandSpec:
    verb: str
    usage: str
    summary: str
    example: str
    privileged: bool = False
    slack_only: bool = False


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("help", "help [COMMAND]", "this list, or one command in detail", "help tail"),
    CommandSpec("ping", "ping", "is Centrifugo up? latency and version", "ping"),
    CommandSpec("diagnose", "diagnose [org ID]", "run every runbook check", "diagnose org 123"),
    CommandSpec("check", "check CHECK_ID [org ID]", "run one check and what it needs", "check tls"),
    CommandSpec("token", "token", "can the app hand out a valid connection token?", "token"),
    CommandSpec("ws", "ws", "can a browser connect over WebSocket?", "ws"),
    CommandSpec("cert", "cert", "is the TLS certificate valid, and for how long?", "cert"),
    CommandSpec("stats", "stats", "nodes, version, clients and channels", "stats"),
    CommandSpec(
        "channels", "channels [PATTERN]", "active channels and subscribers", "channels org:123:*"
    ),
    CommandSpec(
        "publish",
        "publish CHANNEL JSON",
        "publish a test message",
        'publish test {"text": "hi"}',
        privileged=True,
    ),
    CommandSpec(
        "tail",
        "tail CHANNEL [DURATION]",
        "stream a channel to a thread, or as JSON lines",
        "tail test 5m",
        privileged=True,
    ),
    CommandSpec(
        "tail stop",
        "tail stop [CHANNEL]",
        "stop streaming",
        "tail stop test",
        privileged=True,
        slack_only=True,
    ),
    CommandSpec("status", "status", "state of the scheduled checks", "status"),
    CommandSpec("mute", "mute DURATION", "silence alerts for a while", "mute 1h", privileged=True),
    CommandSpec("unmute", "unmute", "turn alerts back on", "unmute", privileged=True),
)
_SPECS = {spec.verb: spec for spec in COMMANDS}
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
            raise ParseError(f"Bad {self.what} {_quote(word)}: use {self.allowed}.", word)
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


def spec_for(cmd: Command) -> CommandSpec:
    """The COMMANDS row of a parsed command: its usage, and whether it is privileged."""
    return _SPECS[cmd.verb]


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
    if len(words) == 2 and two in _SPECS:
        return _SPECS[two], 2
    if one in _SPECS:
        return _SPECS[one], 1
    raise ParseError(f"Unknown command {_quote(words[0])}.{_suggest(one, _topics())}", words[0])


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
            raise ParseError(f"Unexpected {_quote(word)} after `{self.spec.verb}`.", word)

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
    if topic.lower() not in _topics():
        raise ParseError(f"No help for {_quote(topic)}.{_suggest(topic, _topics())}", topic)
    return Help(topic.lower())


def _parse_diagnose(args: _Args, check_ids: Collection[str]) -> Command:
    return Diagnose(_org_from(args, 0))


def _parse_check(args: _Args, check_ids: Collection[str]) -> Command:
    word = args.need(0, "CHECK_ID")
    known = {check_id.lower(): check_id for check_id in check_ids}
    if word.lower() not in known:
        hint = _suggest(word, known) or f" Known checks: {_listing(sorted(check_ids))}."
        raise ParseError(f"Unknown check {_quote(word)}.{hint}", word)
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
        raise ParseError(f"Expected `org ID`, got {_quote(word)}: try `{args.spec.example}`.", word)
    org = _ORG_ID.check(args.need(index + 1, "org ID"))
    args.end(index + 2)
    return org


def parse_duration(word: str) -> int:
    """Seconds in `30s`, `5m`, `1h`, `1h30m`, `7d`: more than 0, at most 7 days."""
    try:
        return parse_seconds(word)
    except ValueError as error:
        raise ParseError(f"Bad duration {_quote(word)}: {error}.", word) from None


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
        where = f" at {_quote(word)}" if word else " at the end"
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


def _topics() -> list[str]:
    return list(dict.fromkeys(spec.verb.split()[0] for spec in COMMANDS))


def _suggest(word: str, choices: Collection[str]) -> str:
    close = difflib.get_close_matches(word.lower(), list(choices), n=3, cutoff=0.6)
    return f" Did you mean {' or '.join(f'`{c}`' for c in close)}?" if close else ""


def _listing(names: list[str], budget: int = 100) -> str:
    shown = ""
    for name in names:
        if len(shown) + len(name) > budget:
            return shown + "…"
        shown += f"{name}, "
    return shown.rstrip(", ")


def help_text(topic: str | None = None) -> str:
    """Usage with examples from COMMANDS: every command, or those whose verb starts with topic."""
    if topic is None:
        intro = "Type a command after /centrifugo in Slack, or after centrifugo-bot in a terminal:"
        lines = [_help_line(spec) for spec in COMMANDS]
        return "\n".join([intro, *lines, "`help COMMAND` tells more about one command."])
    specs = [spec for spec in COMMANDS if spec.verb.split()[0] == topic.lower()]
    if not specs:
        raise ParseError(f"No help for {_quote(topic)}.{_suggest(topic, _topics())}", topic)
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
