"""What a tail has seen, gathered between two Slack posts: the first few publications of each
interval as short previews, counts for the rest, and connection events.

Memory stays bounded however fast the channel is: at most `per_post` previews and
`events_per_post` events are kept per interval; beyond that only counters grow.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from bot.render.limits import clip

PER_POST = 20
EVENTS_PER_POST = 5
PREVIEW_CHARS = 110


class EventKind(StrEnum):
    SUBSCRIBED = "subscribed"
    RESUBSCRIBED = "resubscribed"
    DISCONNECTED = "disconnected"  # lost; the client reconnects by itself
    RECONNECTED = "reconnected"
    CONNECT_FAILED = "connect_failed"  # one attempt failed; the client tries again
    SUBSCRIBE_FAILED = "subscribe_failed"  # a temporary subscribe error; tried again
    REFUSED = "refused"  # the subscription was refused for good (102, 103, ...)
    CLOSED = "closed"  # the server ended the connection for good (3500, ...)


TERMINAL = frozenset({EventKind.REFUSED, EventKind.CLOSED})


@dataclass(frozen=True)
class TailEvent:
    kind: EventKind
    at: float  # wall-clock seconds
    code: int | None = None
    reason: str = ""
    recovered: bool | None = None  # RESUBSCRIBED: were missed publications recovered?

    @property
    def terminal(self) -> bool:
        return self.kind in TERMINAL


@dataclass(frozen=True)
class ShownPublication:
    at: float  # wall-clock arrival
    offset: int  # 0 when the channel has no history
    preview: str  # compact JSON, clipped


@dataclass(frozen=True)
class Batch:
    """One post's worth: the previews, how many more arrived, the events."""

    publications: tuple[ShownPublication, ...] = ()
    hidden: int = 0
    hidden_offsets: tuple[int, int] | None = None  # first and last offset not shown
    events: tuple[TailEvent, ...] = ()
    hidden_events: int = 0

    def __bool__(self) -> bool:
        return bool(self.publications or self.hidden or self.events or self.hidden_events)


@dataclass(frozen=True)
class TailCounts:
    seen: int = 0
    shown: int = 0
    not_shown: int = 0
    reconnects: int = 0


def preview(data: Any, limit: int = PREVIEW_CHARS) -> str:
    """`data` as compact JSON, clipped to `limit` characters."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return clip(text, limit)


@dataclass
class Batcher:
    per_post: int = PER_POST
    events_per_post: int = EVENTS_PER_POST
    counts: TailCounts = TailCounts()
    _pending: Batch = field(default_factory=Batch)

    def publication(self, offset: int, data: Any, at: float) -> None:
        """Count one publication; keep its preview only while this interval's post has room."""
        pending = self._pending
        self.counts = replace(self.counts, seen=self.counts.seen + 1)
        if len(pending.publications) < self.per_post:
            shown = (*pending.publications, ShownPublication(at, offset, preview(data)))
            self._pending = replace(pending, publications=shown)
            return
        first = pending.hidden_offsets[0] if pending.hidden_offsets else offset
        self.counts = replace(self.counts, not_shown=self.counts.not_shown + 1)
        self._pending = replace(pending, hidden=pending.hidden + 1, hidden_offsets=(first, offset))

    def event(self, event: TailEvent) -> None:
        counts = self.counts
        if event.kind is EventKind.RECONNECTED:
            self.counts = replace(counts, reconnects=counts.reconnects + 1)
        pending = self._pending
        if len(pending.events) < self.events_per_post:
            self._pending = replace(pending, events=(*pending.events, event))
        else:
            self._pending = replace(pending, hidden_events=pending.hidden_events + 1)

    def take(self) -> Batch:
        """What arrived since the last take (possibly empty), and start afresh."""
        batch, self._pending = self._pending, Batch()
        return batch

    def counts_after(self, batch: Batch, shown: int, posted: bool = True) -> TailCounts:
        """The counts once `batch`'s post, which showed `shown` previews, went out or failed."""
        counts = self.counts
        shown = shown if posted else 0
        not_shown = counts.not_shown + len(batch.publications) - shown
        return replace(counts, shown=counts.shown + shown, not_shown=not_shown)

    def settle(self, batch: Batch, shown: int, posted: bool) -> None:
        """Account for `batch`'s post: what it showed was shown, the rest of it was not."""
        self.counts = self.counts_after(batch, shown, posted)
