"""Scheduled checks inside `serve`'s lifespan: built from the settings when SCHEDULE_INTERVAL > 0
and ALERT_CHANNEL is set, started on entry, stopped on exit, and reported on /healthz.

The state file is opened first, so a corrupt or unwritable STATE_PATH stops `serve` at start
with a StateError instead of surfacing at the first alert.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.redact import Redactor
from bot.schedule.commands import ScheduleCommands
from bot.schedule.loop import Outlet, Scheduler, Watch
from bot.schedule.metrics import Metrics
from bot.schedule.model import Rules
from bot.schedule.poster import SlackPoster
from bot.schedule.state import StateStore
from bot.settings import Settings
from bot.slack.health import Health, Probe

log = logging.getLogger(__name__)


def rules_from(settings: Settings) -> Rules:
    return Rules(
        alert_after=settings.alert_after,
        resolve_after=settings.resolve_after,
        remind_every=settings.remind_every,
    )


@asynccontextmanager
async def open_schedule(
    settings: Settings,
    *,
    client: AsyncWebClient,
    redactor: Redactor,
    metrics: Metrics,
    health: Health,
) -> AsyncIterator[ScheduleCommands | None]:
    """The running scheduler's command responder, or None when scheduled checks are off."""
    channel = settings.alert_channel
    if settings.schedule_interval <= 0 or not channel:
        if settings.schedule_interval > 0:
            log.warning("SCHEDULE_INTERVAL is set but ALERT_CHANNEL is not: no scheduled checks")
        health.facts.append(lambda: {"scheduled_checks": "off"})
        yield None
        return
    store = StateStore.open(settings.state_path)
    try:
        scheduler = Scheduler(
            [Watch(settings.target(), settings.schedule_org)],
            store=store,
            outlet=Outlet(SlackPoster(client, redactor), channel, settings.bot_language),
            interval=settings.schedule_interval,
            rules=rules_from(settings),
            metrics=metrics,
        )
        async with scheduler:
            health.facts.append(lambda: {"scheduled_checks": schedule_facts(scheduler)})
            health.probes["scheduler"] = _alive(scheduler)
            log.info("scheduled checks every %gs into %s", settings.schedule_interval, channel)
            yield ScheduleCommands(scheduler)
    finally:
        store.close()


def schedule_facts(scheduler: Scheduler) -> Mapping[str, Any]:
    """What /healthz says about scheduled checks: the last run and what is open."""
    facts: dict[str, Any] = {
        "interval_s": scheduler.interval,
        "open_incidents": sum(1 for s in scheduler.states.values() if s.open_incident),
    }
    run = scheduler.last_run
    if run is not None:
        facts["last_run"] = {
            "started_at": _iso(run.started),
            "duration_s": round(run.finished - run.started, 3),
            "failing_targets": run.failing,
            "errors": run.errors,
        }
    now = time.time()
    muted = [until for until in scheduler.mutes.values() if until is not None and until > now]
    if muted:
        facts["muted_until"] = _iso(max(muted))
    return facts


def _alive(scheduler: Scheduler) -> Probe:
    """Unhealthy once the loop task has died: alerts would silently stop."""

    async def probe() -> bool:
        return scheduler.running

    return probe


def _iso(stamp: float) -> str:
    return datetime.fromtimestamp(stamp, UTC).isoformat(timespec="seconds")
