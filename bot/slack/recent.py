"""Bounded in-memory recollections of the Slack side: event ids already handled (so Slack's
retries never run a command twice) and the latest report per channel and command (so "Show
details" shows the latest run of that command in that channel: a reply posted through a
response_url has no ts to key it by). Both forget the oldest first and never grow past their
bound, whatever the traffic.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from checks.model import Report

Clock = Callable[[], float]


class RecentEvents:
    """Event ids seen in the last `ttl` seconds, at most `limit` of them."""

    def __init__(self, ttl: float = 3600.0, limit: int = 10_000, clock: Clock = time.monotonic):
        # Slack retries an event for about an hour at most; an hour of ids is enough.
        self._ttl, self._limit, self._clock = ttl, limit, clock
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, event_id: str) -> bool:
        """True the first time `event_id` is offered (within the ttl), False after."""
        now = self._clock()
        self._forget_before(now - self._ttl)
        if event_id in self._seen:
            return False
        self._seen[event_id] = now
        while len(self._seen) > self._limit:
            self._seen.popitem(last=False)
        return True

    def __len__(self) -> int:
        return len(self._seen)

    def _forget_before(self, oldest: float) -> None:
        while self._seen and next(iter(self._seen.values())) < oldest:
            self._seen.popitem(last=False)


class RecentReports:
    """The latest report of each (channel, command), for at most `limit` pairs."""

    def __init__(self, limit: int = 200) -> None:
        self._limit = limit
        self._reports: OrderedDict[tuple[str, str], Report] = OrderedDict()

    def remember(self, channel_id: str, report: Report) -> None:
        key = (channel_id, report.command)
        self._reports.pop(key, None)
        self._reports[key] = report
        while len(self._reports) > self._limit:
            self._reports.popitem(last=False)

    def latest(self, channel_id: str, command: str) -> Report | None:
        return self._reports.get((channel_id, command))

    def __len__(self) -> int:
        return len(self._reports)
