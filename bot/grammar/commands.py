"""The commands people type, as typed dataclasses, and the COMMANDS table that drives both
parsing and help: a command cannot exist without its usage line and example."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, TypeAlias

JsonValue: TypeAlias = "bool | int | float | str | list[JsonValue] | dict[str, JsonValue] | None"


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
SPECS = {spec.verb: spec for spec in COMMANDS}


def spec_for(cmd: Command) -> CommandSpec:
    """The COMMANDS row of a parsed command: its usage, and whether it is privileged."""
    return SPECS[cmd.verb]


def topics() -> list[str]:
    return list(dict.fromkeys(spec.verb.split()[0] for spec in COMMANDS))
