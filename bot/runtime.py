"""The bot's lifespan, starlette-style: everything long-lived is opened here in order and
closed in reverse by one async context manager. Log redaction goes on first and comes off
last; the HTTP session outlives the jobs, so a shutdown can still tell interrupted users.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import aiohttp

from bot.health import Health
from bot.jobs import Jobs
from bot.recent import RecentEvents, RecentReports
from bot.redact import RedactingFilter, Redactor
from bot.services import Services, SlackSide
from bot.settings import Settings
from bot.slack_client import Outbox, web_client


@asynccontextmanager
async def open_services(settings: Settings, *, mode: str, grace: float) -> AsyncIterator[Services]:
    """Services for `serve`; on exit, running jobs get `grace` seconds before being cancelled."""
    redactor = Redactor(settings.secrets())
    async with AsyncExitStack() as stack:
        stack.callback(redact_logs(redactor))
        session = await stack.enter_async_context(aiohttp.ClientSession())
        client = web_client(settings, session)
        jobs = Jobs(grace)
        stack.push_async_callback(jobs.drain)
        health = Health(mode)
        health.facts += [lambda: {"in_flight": jobs.in_flight}, schedule_facts(settings)]
        outbox = Outbox(client, session, redactor)
        slack = SlackSide(client, outbox, jobs, RecentEvents(), RecentReports(), health)
        yield Services(settings, redactor, slack)


def redact_logs(redactor: Redactor) -> Callable[[], None]:
    """Redact every log record on its way out: a filter on each handler of the root logger
    (a logger's own filters do not see records from its children). Returns the undo."""
    root = logging.getLogger()
    redacting = RedactingFilter(redactor)
    handlers = list(root.handlers)
    for handler in handlers:
        handler.addFilter(redacting)

    def undo() -> None:
        for handler in handlers:
            handler.removeFilter(redacting)

    return undo


def schedule_facts(settings: Settings) -> Callable[[], Mapping[str, Any]]:
    """What /healthz says about scheduled checks until the scheduler reports its last run."""
    state = "off" if settings.schedule_interval == 0 else "not available in this build"
    return lambda: {"scheduled_checks": state}
