"""The Centrifugo emulator as one aiohttp server on a free loopback port, like Centrifugo's
single :8000 listener: server API, health, admin UI and WebSocket, with the HTTP fault modes
applied in front of every route. `async with Emulator() as emu:` then point clients at emu.url."""

from __future__ import annotations

import asyncio
import socket
import ssl
from types import TracebackType

from aiohttp import web
from aiohttp.typedefs import Handler

from .admin import admin_reply
from .config import EmulatorConfig, Fault
from .go_http import go_error, json_reply, not_found
from .http_api import add_api_routes
from .hub import Hub
from .keys import CONFIG_KEY, HUB_KEY
from .websocket import WS_PATH, add_websocket_route

# In-flight handlers (a SLOW sleep, an open WebSocket) get this long before being cancelled.
SHUTDOWN_GRACE = 0.2


class Emulator:
    def __init__(self, config: EmulatorConfig | None = None, *, tls: ssl.SSLContext | None = None):
        self.config = config or EmulatorConfig()
        self.hub = Hub()
        self.tls = tls
        self.port = 0
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        # "localhost" under TLS so certificate hostname checks apply to the test certificates.
        host = "localhost" if self.tls else "127.0.0.1"
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api"

    @property
    def ws_url(self) -> str:
        return self.url.replace("http", "ws", 1) + WS_PATH

    async def __aenter__(self) -> Emulator:
        runner = web.AppRunner(
            build_app(self.config, self.hub),
            handler_cancellation=True,  # a client that gives up cancels its SLOW sleep
            shutdown_timeout=SHUTDOWN_GRACE,
            access_log=None,
        )
        await runner.setup()
        self._runner = runner
        site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=self.tls)
        await site.start()
        self.port = _bound_port(runner)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def build_app(config: EmulatorConfig, hub: Hub) -> web.Application:
    app = web.Application(middlewares=[fault_middleware])
    app[CONFIG_KEY] = config
    app[HUB_KEY] = hub
    add_api_routes(app)
    add_websocket_route(app)  # also closes live sockets with 3001 on shutdown
    # Everything else is decided per request, so tests may flip config while running.
    app.router.add_route("*", "/{tail:.*}", side_handler)
    return app


@web.middleware
async def fault_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    config = request.app[CONFIG_KEY]
    # The WebSocket side applies SLOW to its own answers; delaying its upgrade too would double it.
    if Fault.SLOW in config.faults and request.path != WS_PATH:
        await asyncio.sleep(config.slow_seconds)
    if Fault.SERVER_ERROR in config.faults:
        return go_error(502, "Bad Gateway", newline=False)  # Traefik with no live upstream
    return await handler(request)


async def side_handler(request: web.Request) -> web.StreamResponse:
    """Go's ServeMux fallbacks: /health, then the admin handler (mounted at the prefix)."""
    config = request.app[CONFIG_KEY]
    if request.path == "/health" and config.health_enabled:
        return json_reply({})  # any method, no auth, does not probe Redis
    prefix = config.admin_prefix.rstrip("/")
    if config.admin_enabled and (request.path + "/").startswith(prefix + "/"):
        return await admin_reply(request, config)
    return not_found()


def _bound_port(runner: web.AppRunner) -> int:
    return int(runner.addresses[0][1])


def closed_port() -> int:
    """A loopback port nothing listens on (bound, read, released): connecting is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
