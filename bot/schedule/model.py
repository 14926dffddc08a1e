"""What the alert policy remembers about one scheduled target, as frozen data.

Per check a streak (results in a row); per target the incidents not yet fully delivered
(at most one open), the certificate threshold last announced and a pending certificate notice.
Delivery fields (the Slack ts, what is still due) live here too, so a restart resumes exactly
where the last process stopped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from checks.model import Status


@dataclass(frozen=True)
class Rules:
    """The threshold policy, from the settings (ALERT_AFTER, RESOLVE_AFTER, REMIND_EVERY)."""

    alert_after: int = 2
    resolve_after: int = 1
    remind_every: float = 3600.0  # 0 = no reminders
    # Edits that only bump the run count or "last seen" wait this long, so a long incident does
    # not hit chat.update's rate limit (Tier 3, ~50 a minute) on every run.
    refresh_every: float = 60.0
    cert_thresholds: tuple[int, ...] = (14, 7, 1)


@dataclass(frozen=True)
class Streak:
    """One check's recent history on one target."""

    status: Status
    fails: int = 0
    passes: int = 0
    failing_since: float | None = None  # first failure of the current streak
    alerting: bool = False  # reached ALERT_AFTER and not yet RESOLVE_AFTER passes since
    summary: str = ""
    last_run: float = 0.0
    duration_ms: float = 0.0


@dataclass(frozen=True)
class IncidentCheck:
    id: str
    since: float
    summary: str


@dataclass(frozen=True)
class Incident:
    seq: int  # per target: 1, 2, ...
    since: float  # the earliest failure of the checks that opened it
    opened_at: float
    last_seen: float  # the last run in which one of its checks failed
    runs: int  # failing runs counted so far
    checks: tuple[IncidentCheck, ...]
    resolved_at: float | None = None
    # Delivery: what Slack has seen of it and what is still due.
    channel: str | None = None
    ts: str | None = None
    link: str | None = None
    stale: bool = True  # the top message needs (re)rendering
    refreshed_at: float = 0.0
    remind_due: bool = False
    reminded_at: float | None = None
    resolve_due: bool = False  # the "resolved" thread reply is still to be posted
    silenced: bool = False  # opened and resolved during a mute: never posted

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def finished(self) -> bool:
        """Nothing left to deliver and no longer open: the store may archive it."""
        if self.is_open:
            return False
        return self.silenced or (self.ts is not None and not self.stale and not self.resolve_due)

    @property
    def check_ids(self) -> tuple[str, ...]:
        return tuple(check.id for check in self.checks)


@dataclass(frozen=True)
class CertNotice:
    """The `tls` certificate crossed an expiry threshold; posted once per threshold."""

    threshold: int
    days_left: int
    summary: str
    at: float


@dataclass(frozen=True)
class TargetState:
    target: str
    streaks: Mapping[str, Streak] = field(default_factory=dict)
    incidents: tuple[Incident, ...] = ()  # oldest first; at most the last one is open
    opened: int = 0  # incidents ever opened: the next one's seq is opened + 1
    cert_threshold: int | None = None  # the last threshold announced
    notice: CertNotice | None = None  # a certificate notice not yet posted
    last_run: float | None = None

    @property
    def open_incident(self) -> Incident | None:
        last = self.incidents[-1] if self.incidents else None
        return last if last is not None and last.is_open else None


class Change(StrEnum):
    OPENED = "opened"
    GREW = "grew"  # another check joined the open incident
    RESOLVED = "resolved"
    REMINDER = "reminder"
    CERT_EXPIRING = "cert_expiring"


# Changes that post a new Slack message (top level or in a thread); GREW edits one.
POSTING_CHANGES = frozenset({Change.OPENED, Change.RESOLVED, Change.REMINDER, Change.CERT_EXPIRING})


@dataclass(frozen=True)
class Transition:
    change: Change
    target: str
    check_ids: tuple[str, ...]
    at: float
    muted: bool = False  # recorded while muted: held back, or never posted


@dataclass(frozen=True)
class Observation:
    state: TargetState
    transitions: tuple[Transition, ...]
