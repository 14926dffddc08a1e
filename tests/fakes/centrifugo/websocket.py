"""The `/connection/websocket` endpoint: the upgrade checks Centrifugo's gorilla-style upgrader
makes (reference §2, §7: Upgrade headers → 400, GET only → 405, Origin → 403), then one
`Session` per socket. `add_websocket_route` also closes live sockets with 3001 on shutdown."""

from __future__ import annotations

import asyncio
import contextlib

from aiohttp import web

from .channel_glob import GlobError, compile_glob
from .config import EmulatorConfig, Fault
from .go_http import go_error
from .keys import CONFIG_KEY
from .protocol import shutdown
from .session import Session

WS_PATH = "/connection/websocket"
MAX_MESSAGE_BYTES = 65536  # larger inbound frames are closed with 1009, like Centrifugo
SESSIONS_KEY = web.AppKey("websocket_sessions", set[Session])


def add_websocket_route(app: web.Application, path: str = WS_PATH) -> None:
    """Mount the handler and track its sockets so app shutdown closes them (3001)."""
    app[SESSIONS_KEY] = set()
    app.router.add_route("*", path, websocket_handler)
    app.on_shutdown.append(close_websockets)


async def close_websockets(app: web.Application) -> None:
    sessions = list(app.get(SESSIONS_KEY, ()))
    await asyncio.gather(*(session.shut_down() for session in sessions))


async def websocket_handler(request: web.Request) -> web.StreamResponse:
    refusal = _refusal(request)
    if refusal is not None:
        return refusal
    ws = web.WebSocketResponse(
        protocols=("centrifuge-json",),
        autoclose=False,  # the session answers close frames itself (and not at all when lingering)
        compress=False,  # Centrifugo's websocket compression is off by default
        max_msg_size=MAX_MESSAGE_BYTES,
        timeout=2.0,  # how long a server close waits for the client's close frame
    )
    if not ws.can_prepare(request).ok:  # bad Sec-WebSocket-Key or version
        return _handshake_error(400, "Bad Request")
    await ws.prepare(request)
    await _serve(request, ws)
    return ws


async def _serve(request: web.Request, ws: web.WebSocketResponse) -> None:
    session = Session(request, ws)
    sessions = request.app.get(SESSIONS_KEY)
    if sessions is not None:
        sessions.add(session)
    try:
        await session.run()
    except asyncio.CancelledError:
        # Mounted without add_websocket_route, app shutdown cancels us instead: still say
        # goodbye the way Centrifugo does, briefly.
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await asyncio.wait_for(session.close(shutdown()), 0.1)
        raise
    finally:
        if sessions is not None:
            sessions.discard(session)


def _refusal(request: web.Request) -> web.StreamResponse | None:
    if not _asks_upgrade(request):
        return _handshake_error(400, "Bad Request")
    if request.method != "GET":
        return _handshake_error(405, "Method Not Allowed")
    origin = request.headers.get("Origin", "")
    if origin and not origin_allowed(request.app[CONFIG_KEY], origin):
        return _handshake_error(403, "Forbidden")
    return None


def origin_allowed(config: EmulatorConfig, origin: str) -> bool:
    """An empty allowed_origins list refuses every Origin; patterns are gobwas globs."""
    if Fault.ORIGIN_REFUSED in config.faults:
        return False
    origin = origin.lower()
    for pattern in config.allowed_origins:
        with contextlib.suppress(GlobError):
            if pattern == "*" or compile_glob(pattern.lower()).fullmatch(origin):
                return True
    return False


def _asks_upgrade(request: web.Request) -> bool:
    return _has_token(request, "Connection", "upgrade") and _has_token(
        request, "Upgrade", "websocket"
    )


def _has_token(request: web.Request, header: str, token: str) -> bool:
    values = request.headers.getall(header, [])
    return any(part.strip().lower() == token for value in values for part in value.split(","))


def _handshake_error(status: int, text: str) -> web.Response:
    # gorilla's returnError: http.Error body plus the version header on every refusal.
    response = go_error(status, text)
    response.headers["Sec-Websocket-Version"] = "13"
    return response
