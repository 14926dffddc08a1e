"""`status`, `mute DURATION` and `unmute`: the scheduled checks' commands, answered from the
running scheduler's memory (the Responder in `services.scheduler`).

Permission is checked before these run (mute and unmute are privileged in the grammar);
confirmations are public, so the channel sees who silenced alerts and until when.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable

from bot.answers import Answer, Notice
from bot.durations import format_duration
from bot.grammar import Command, Mute, Unmute
from bot.grammar import Status as StatusCommand
from bot.render.labels import STATUS_EMOJI, label
from bot.schedule.loop import Scheduler
from bot.schedule.model import TargetState
from bot.schedule.render import slack_date
from bot.services import Origin

UNMUTE_WAIT = 20.0  # seconds the unmute reply waits for the run that posts a held incident
_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{6,}")


class ScheduleCommands:
    def __init__(
        self,
        scheduler: Scheduler,
        clock: Callable[[], float] = time.time,
        unmute_wait: float = UNMUTE_WAIT,
    ) -> None:
        self.scheduler, self._clock, self._unmute_wait = scheduler, clock, unmute_wait
        self.lang = scheduler.outlet.lang

    async def answer(self, command: Command, origin: Origin) -> Answer:
        match command:
            case StatusCommand():
                return self.status()
            case Mute(seconds=seconds):
                return self.mute(seconds)
            case Unmute():
                return await self.unmute()
            case _:
                raise AssertionError(f"not a scheduled-check command: {command.verb}")

    def status(self) -> Notice:
        now, lang = self._clock(), self.lang
        scheduler = self.scheduler
        states = [scheduler.states[w.name] for w in scheduler.watches]
        until = max(
            (u for u in scheduler.mutes.values() if u is not None and u > now), default=None
        )
        if until is not None:
            state = label(lang, "status_state_muted", until=slack_date(until))
        elif any(s.open_incident for s in states):
            state = label(lang, "status_state_failing")
        elif all(s.last_run is None for s in states):
            state = label(lang, "status_none")
        else:
            state = label(lang, "status_state_ok")
        lines = [self._schedule_line()]
        for target in states:
            lines += ["", *self._target_lines(target)]
        return Notice(label(lang, "status_title", state=state), "\n".join(lines), public=True)

    def mute(self, seconds: int) -> Notice:
        until = self._clock() + seconds
        self.scheduler.mute(until)
        lang, channel = self.lang, self._channel()
        return Notice(
            label(lang, "mute_done", until=slack_date(until)),
            label(lang, "mute_done_why", channel=channel),
            public=True,
        )

    async def unmute(self) -> Notice:
        lang, now = self.lang, self._clock()
        scheduler = self.scheduler
        if not any(scheduler.muted(w.name, now) for w in scheduler.watches):
            return Notice(label(lang, "unmute_not_muted"), public=True)
        scheduler.mute(None)
        if not any(_held(s) for s in scheduler.states.values()):
            return Notice(label(lang, "unmute_done"), label(lang, "unmute_nothing"), public=True)
        try:
            async with asyncio.timeout(self._unmute_wait):
                await scheduler.run_now()
        except TimeoutError:
            return Notice(label(lang, "unmute_done"), self._pending(), public=True)
        links = [
            i.link or i.ts for s in scheduler.states.values() if (i := s.open_incident) and i.ts
        ]
        if not links:
            return Notice(label(lang, "unmute_done"), self._pending(), public=True)
        posted = label(
            lang, "unmute_posted", channel=self._channel(), link=", ".join(map(str, links))
        )
        return Notice(label(lang, "unmute_done"), posted, public=True)

    def _schedule_line(self) -> str:
        scheduler = self.scheduler
        return label(
            self.lang,
            "status_every",
            interval=format_duration(round(scheduler.interval)),
            channel=self._channel(),
            alert_after=scheduler.rules.alert_after,
            resolve_after=scheduler.rules.resolve_after,
        )

    def _target_lines(self, state: TargetState) -> list[str]:
        lang = self.lang
        last_run = slack_date(state.last_run) if state.last_run else label(lang, "status_none")
        lines = [label(lang, "status_target", target=state.target, last_run=last_run)]
        incident = state.open_incident
        if incident is not None and incident.ts is not None:
            link = incident.link or incident.ts
            lines.append(
                "🚨 " + label(lang, "status_incident", since=slack_date(incident.since), link=link)
            )
        elif incident is not None:
            lines.append(
                "🚨 " + label(lang, "status_incident_unposted", since=slack_date(incident.since))
            )
        for check_id, streak in state.streaks.items():
            emoji = STATUS_EMOJI[streak.status]
            values = {"emoji": emoji, "check": check_id, "status": streak.status.value}
            lines.append(label(lang, "status_line", fails=streak.fails, **values))
        return lines

    def _pending(self) -> str:
        return label(self.lang, "unmute_pending", channel=self._channel())

    def _channel(self) -> str:
        channel = self.scheduler.outlet.channel
        return f"<#{channel}>" if _CHANNEL_ID.fullmatch(channel) else channel


def _held(state: TargetState) -> bool:
    """Something a mute kept out of Slack: an open incident never posted, a pending notice."""
    incident = state.open_incident
    return (incident is not None and incident.ts is None) or state.notice is not None
