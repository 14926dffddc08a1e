"""How Slack reaches the running bot: an aiohttp server on PORT with /healthz and /metrics (both
modes) and POST /slack/events (HTTP mode, signed requests handed to bolt), plus the Socket Mode
connection when SLACK_APP_TOKEN is set. Leaving `running` stops intake first, then drains the jobs.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, nullcontext
from dataclasses import dataclass
from urllib.parse import parse_qsl

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.schedule.metrics import metrics_routes
from bot.services import Services
from bot.settings import Settings
from bot.slack.app import build_app, secret_value, uses_socket_mode
from bot.slack.health import Health, health_routes
from bot.slack.runtime import open_services

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HTTP_SHUTDOWN_TIMEOUT = 5.0  # requests in flight at shutdown are acks: they are quick


@dataclass(frozen=True)
class RunningBot:
    services: Services
    url: str  # the aiohttp server's base URL


@asynccontextmanager
async def running(
    settings: Settings, *, host: str, port: int | None = None, grace: float = 10.0
) -> AsyncIterator[RunningBot]:
    """The bot, up until the block exits; `port` overrides PORT (0 picks a free one)."""
    mode = "socket" if uses_socket_mode(settings) else "http"
    async with open_services(settings, mode=mode, grace=grace) as services:
        app = build_app(services)
        runner = web.AppRunner(
            web_application(app, services, events=mode == "http"),
            access_log=None,
            shutdown_timeout=HTTP_SHUTDOWN_TIMEOUT,
        )
        await runner.setup()
        try:
            await web.TCPSite(runner, host, settings.port if port is None else port).start()
            bound_host, bound_port = runner.addresses[0][:2]
            health = services.require_slack().health
            socket = _socket_mode(app, settings, health) if mode == "socket" else nullcontext()
            async with socket:
                health.state = "up"
                log.info("centrifugo-bot up (%s mode) on %s:%s", mode, bound_host, bound_port)
                yield RunningBot(services, f"http://{bound_host}:{bound_port}")
                health.state = "stopping"
        finally:
            await runner.cleanup()


def web_application(app: AsyncApp, services: Services, *, events: bool) -> web.Application:
    async def slack_events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await bolt_request(request)))

    web_app = web.Application()
    web_app.add_routes(health_routes(services.require_slack().health))
    if services.metrics is not None:
        web_app.add_routes(metrics_routes(services.metrics))
    if events:
        web_app.add_routes([web.post(EVENTS_PATH, slack_events)])
    return web_app


async def bolt_request(request: web.Request) -> AsyncBoltRequest:
    """bolt's aiohttp adapter, minus a bolt bug: a form body that merely contains the word
    "payload" (`/centrifugo publish test {"payload": 1}`) is parsed as an interactive payload,
    comes out empty, and the command would be silently dropped."""
    bolt = await to_bolt_request(request)
    raw = bolt.raw_body
    if not bolt.body and "payload" in raw and not raw.startswith("{"):
        fields = dict(parse_qsl(raw, keep_blank_values=True))
        if "payload" not in fields:
            bolt.body = fields
            bolt.context = build_async_context(AsyncBoltContext({}), fields)
    return bolt


@asynccontextmanager
async def _socket_mode(app: AsyncApp, settings: Settings, health: Health) -> AsyncIterator[None]:
    token = secret_value(settings.slack_app_token)
    # The handler uses the app's client, so apps.connections.open goes to SLACK_API_URL.
    handler = AsyncSocketModeHandler(app, token)
    health.probes["socket_mode"] = handler.client.is_connected
    await handler.connect_async()  # type: ignore[no-untyped-call]  # bolt leaves it untyped
    try:
        yield
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
