"""Posts what the alert policy marked due, oldest first, and stores each success at once.

A call that fails (Slack down, a 429 the client's own retries could not ride out, a timeout)
stops delivery for that target until the next run: what Slack did not confirm stays due, what
it confirmed is committed before the next call. So an alert is never lost and never posted twice.
While muted, nothing new appears at the top of the channel (alerts, certificate notices) and no
reminders; edits and the resolution of an alert already posted still go through.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

from bot.render.blocks import Reply
from bot.schedule.model import Incident, TargetState
from bot.schedule.render import (
    render_cert_notice,
    render_incident,
    render_reminder,
    render_resolved_reply,
)
from bot.slack.client import describe_failure
from checks.model import Language, Report

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Posted:
    channel: str  # Slack answers with the channel id even when given a name
    ts: str
    link: str | None = None


class MessageGone(Exception):
    """The message to edit no longer exists (someone deleted the alert)."""


class AlertPoster(Protocol):
    async def post(self, channel: str, reply: Reply, thread_ts: str | None = None) -> Posted: ...

    async def update(self, channel: str, ts: str, reply: Reply) -> None: ...


@dataclass(frozen=True)
class Delivery:
    """Where one target's alerts go and how they read."""

    poster: AlertPoster
    channel: str
    target: str
    org: str | None
    lang: Language


class _Held(Exception):
    """Muted: this incident (and those after it) wait for the mute to end."""


Commit = Callable[[TargetState], None]


async def deliver(
    state: TargetState,
    report: Report | None,
    how: Delivery,
    *,
    now: float,
    muted: bool,
    commit: Commit,
) -> TargetState:
    """Deliver everything due for one target; the state as far as Slack confirmed it."""
    courier = _Courier(state, report, how, now, muted, commit)
    try:
        for incident in state.incidents:
            await courier.incident(incident)
        await courier.notice()
    except _Held:
        pass
    except Exception as error:  # whatever Slack or the network did, retry at the next run
        reason = describe_failure(error)
        log.warning(
            "alert delivery for %s stopped (%s); retried at the next run", how.target, reason
        )
    return courier.state


class _Courier:
    """One delivery pass over one target; every confirmed call is committed before the next."""

    def __init__(
        self,
        state: TargetState,
        report: Report | None,
        how: Delivery,
        now: float,
        muted: bool,
        commit: Commit,
    ) -> None:
        self.state, self.report, self.how = state, report, how
        self.now, self.muted, self._commit = now, muted, commit

    async def incident(self, incident: Incident) -> None:
        if incident.silenced:
            return self._drop(incident)
        if incident.ts is None:
            incident = await self._post_top(incident)
        if incident.stale:
            incident = await self._edit_top(incident)
        if incident.resolve_due:
            await self._reply(incident, render_resolved_reply(incident, self.how.lang))
            incident = self._keep(replace(incident, resolve_due=False))
        if incident.remind_due and not self.muted:
            await self._reply(incident, render_reminder(incident, self.now, self.how.lang))
            incident = self._keep(replace(incident, remind_due=False))
        if incident.finished:
            self._drop(incident)
        return None

    async def notice(self) -> None:
        if self.state.notice is None or self.muted:
            return
        how = self.how
        await how.poster.post(
            how.channel, render_cert_notice(self.state.notice, self.report, how.target, how.lang)
        )
        self._save(replace(self.state, notice=None))

    async def _post_top(self, incident: Incident) -> Incident:
        if self.muted:
            raise _Held
        posted = await self.how.poster.post(self.how.channel, self._top(incident))
        # Just posted, so it already says all a reminder would.
        return self._keep(
            replace(
                incident,
                channel=posted.channel,
                ts=posted.ts,
                link=posted.link,
                stale=False,
                remind_due=False,
            )
        )

    async def _edit_top(self, incident: Incident) -> Incident:
        try:
            await self.how.poster.update(
                self._channel(incident), str(incident.ts), self._top(incident)
            )
        except MessageGone:
            # Someone deleted the alert: post it again rather than edit nothing forever.
            return await self._post_top(replace(incident, ts=None))
        return self._keep(replace(incident, stale=False))

    async def _reply(self, incident: Incident, reply: Reply) -> None:
        await self.how.poster.post(self._channel(incident), reply, incident.ts)

    def _top(self, incident: Incident) -> Reply:
        how = self.how
        return render_incident(incident, self.report, how.target, how.org, how.lang)

    def _channel(self, incident: Incident) -> str:
        return incident.channel or self.how.channel

    def _keep(self, incident: Incident) -> Incident:
        incidents = tuple(incident if i.seq == incident.seq else i for i in self.state.incidents)
        self._save(replace(self.state, incidents=incidents))
        return incident

    def _drop(self, incident: Incident) -> None:
        incidents = tuple(i for i in self.state.incidents if i.seq != incident.seq)
        self._save(replace(self.state, incidents=incidents))

    def _save(self, state: TargetState) -> None:
        self.state = state
        self._commit(state)
