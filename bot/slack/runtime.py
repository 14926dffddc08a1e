"""The bot's lifespan, starlette-style: everything long-lived is opened here in order and
closed in reverse by one async context manager. Log redaction goes on first and comes off
last; the HTTP session outlives the jobs, so a shutdown can still tell interrupted users.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import aiohttp

from bot.redact import Redactor, redact_logs
from bot.schedule.metrics import Metrics
from bot.schedule.runtime import open_schedule
from bot.services import Services, SlackSide
from bot.settings import Settings
from bot.slack.client import Outbox, web_client
from bot.slack.health import Health
from bot.slack.jobs import Jobs
from bot.slack.recent import RecentEvents, RecentReports
from bot.tail.manager import TailManager
from bot.tail.poster import SlackThreadPoster

# Commands run at once; more wait their turn. Checks spend CPU on the loop that also acks Slack,
# and acks must stay within 100 ms even with 50 commands in flight (bench/ack_latency.py).
CHECK_RUNS_AT_ONCE = 3


@asynccontextmanager
async def open_services(settings: Settings, *, mode: str, grace: float) -> AsyncIterator[Services]:
    """Services for `serve`; on exit, running jobs get `grace` seconds before being cancelled."""
    redactor = Redactor(settings.secrets())
    async with AsyncExitStack() as stack:
        stack.callback(redact_logs(redactor))
        session = await stack.enter_async_context(aiohttp.ClientSession())
        client = web_client(settings, session)
        jobs = Jobs(grace, concurrency=CHECK_RUNS_AT_ONCE)
        stack.push_async_callback(jobs.drain)
        health = Health(mode)
        health.facts.append(lambda: {"in_flight": jobs.in_flight})
        outbox = Outbox(client, session, redactor)
        slack = SlackSide(client, outbox, jobs, RecentEvents(), RecentReports(), health)
        metrics = Metrics()
        # Stops before the jobs drain and the session closes, so its last posts still go out.
        scheduler = await stack.enter_async_context(
            open_schedule(
                settings, client=client, redactor=redactor, metrics=metrics, health=health
            )
        )
        tails = TailManager(settings, SlackThreadPoster(client, redactor))
        # Ends before the scheduler, the jobs and the session, so every summary still posts.
        stack.push_async_callback(tails.aclose)
        health.facts.append(lambda: {"tails": len(tails.running())})
        yield Services(settings, redactor, slack, scheduler=scheduler, tails=tails, metrics=metrics)
