"""The Slack app: `build_app` makes the bolt AsyncApp and attaches every listener; `serve` runs
it (`centrifugo-bot serve`) until SIGTERM or SIGINT, then shuts down gracefully."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from pydantic import SecretStr
from slack_bolt.app.async_app import AsyncApp

from bot.schedule.state import StateError
from bot.services import Services
from bot.settings import Settings
from bot.slack.listeners import register

log = logging.getLogger(__name__)

BIND_HOST = "0.0.0.0"  # all interfaces: a container's port must be reachable from outside it
GRACE_SECONDS = 10.0  # how long a shutdown waits for running commands


def build_app(services: Services) -> AsyncApp:
    settings = services.settings
    app = AsyncApp(
        client=services.require_slack().client,
        signing_secret=secret_value(settings.slack_signing_secret),
        # Socket Mode envelopes are not signed; HTTP requests always are.
        request_verification_enabled=not uses_socket_mode(settings),
        # Listeners only ack and start a background job, so the ack is the HTTP response.
        process_before_response=True,
    )
    register(app, services)
    return app


def serve(settings: Settings, host: str = BIND_HOST) -> int:
    """Run until stopped; 0 after a graceful shutdown, 2 when Slack settings are missing or the
    state file (STATE_PATH) cannot be used."""
    if problem := missing_slack_setting(settings):
        print(f"centrifugo-bot: configuration error: {problem}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        asyncio.run(_serve_until_signalled(settings, host))
    except StateError as error:  # STATE_PATH corrupt or unwritable: said at start, not at an alert
        print(f"centrifugo-bot: configuration error: {error}", file=sys.stderr)
        return 2
    return 0


def missing_slack_setting(settings: Settings) -> str | None:
    """What keeps `serve` from starting safely; an empty value counts as unset (`KEY=` in .env)."""
    if not secret_value(settings.slack_bot_token):
        return "SLACK_BOT_TOKEN is required to serve (xoxb-...)"
    if uses_socket_mode(settings):
        if not secret_value(settings.slack_app_token).startswith("xapp-"):
            return "SLACK_APP_TOKEN must be an app-level token (xapp-...)"
    elif not secret_value(settings.slack_signing_secret):
        # Without it no request could be verified: refuse to serve rather than trust them all.
        return "SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN)"
    return None


def uses_socket_mode(settings: Settings) -> bool:
    """Socket Mode when SLACK_APP_TOKEN has a value; HTTP mode otherwise."""
    return bool(secret_value(settings.slack_app_token))


def secret_value(secret: SecretStr | None) -> str:
    return secret.get_secret_value() if secret is not None else ""


async def _serve_until_signalled(settings: Settings, host: str) -> None:
    from bot.slack.server import running

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with running(settings, host=host, grace=GRACE_SECONDS):
        await stop.wait()
        log.info("stopping: no new commands; waiting for running ones")
