"""What a tail is, as plain data shared by the manager and the renderer: where it runs, who
asked, for how long, and how it ended."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.tail.batch import TailCounts, TailEvent

DEFAULT_SECONDS = 300


class EndReason(StrEnum):
    DURATION = "duration"
    STOPPED = "stopped"  # `tail stop`
    SHUTDOWN = "shutdown"  # the bot is closing
    INTERRUPTED = "interrupted"  # Ctrl-C at a terminal
    FAILED = "failed"  # Centrifugo refused or closed for good


@dataclass(frozen=True)
class TailInfo:
    channel: str  # the Centrifugo channel
    seconds: int
    started_at: float  # wall-clock seconds
    slack_channel: str = ""  # where the thread lives
    user_id: str | None = None  # who asked
    requested_seconds: int | None = None  # what was asked, when the cap shortened it

    @property
    def until(self) -> float:
        return self.started_at + self.seconds


@dataclass(frozen=True)
class Ending:
    reason: EndReason
    by: str | None = None  # STOPPED: the user who stopped it
    event: TailEvent | None = None  # FAILED: what Centrifugo said


@dataclass(frozen=True)
class TailSummary:
    info: TailInfo
    ending: Ending
    counts: TailCounts
    elapsed: float  # seconds the tail actually ran
