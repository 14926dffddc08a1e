"""The emulator's HTTP server API (reference §1): `POST /api/<method>` and the legacy
`POST /api` envelope, behind Centrifugo's middleware order: exact route (else 404 text), POST
only (405), API key (401), JSON decode (400), then the command (200 with result or error)."""

from __future__ import annotations

import hmac
import json
from typing import Any

from aiohttp import web

from .api_decode import decode_object, decode_params, params_valid
from .api_errors import error_body
from .api_methods import ApiExecutor, Reply
from .config import Fault
from .go_http import bad_request, empty, html_page, json_reply, not_found
from .keys import CONFIG_KEY, HUB_KEY

EXECUTOR_KEY = web.AppKey("api_executor", ApiExecutor)

ROUTED_METHODS = frozenset(
    {
        *("batch", "publish", "broadcast", "subscribe", "unsubscribe", "disconnect"),
        *("presence", "presence_stats", "history", "history_remove", "info", "rpc"),
        *("refresh", "channels"),
    }
)
# The legacy envelope's `method` enum, by number.
LEGACY_METHODS = (
    *("publish", "broadcast", "unsubscribe", "disconnect", "presence", "presence_stats"),
    *("history", "history_remove", "channels", "info", "rpc", "subscribe", "refresh"),
)
# HTTP status per error code in transport error mode (since v5.1.0).
TRANSPORT_STATUS = {100: 500, 102: 404, 104: 404, 107: 400, 108: 400, 112: 416, 113: 409}


def add_api_routes(app: web.Application) -> None:
    app[EXECUTOR_KEY] = ApiExecutor(app[CONFIG_KEY], app[HUB_KEY])
    app.router.add_route("*", "/api", legacy_handler)
    app.router.add_route("*", "/api/{method}", method_handler)


async def method_handler(request: web.Request) -> web.StreamResponse:
    method = request.match_info["method"]
    if method not in ROUTED_METHODS:
        return not_found()  # `/api/ping`, `/api/stats`: no such route, whatever the key
    refusal = gate(request)
    if refusal is not None:
        return refusal
    params = decode_params(await request.read())
    if params is None:
        return bad_request()
    reply = await request.app[EXECUTOR_KEY].execute(method, params)
    if "error" in reply and transport_mode(request):
        error = reply["error"]
        return json_reply(error, status=TRANSPORT_STATUS.get(error["code"], 500))
    return json_reply(reply)


async def legacy_handler(request: web.Request) -> web.StreamResponse:
    refusal = gate(request)
    return refusal if refusal is not None else await serve_legacy(request)


async def serve_legacy(request: web.Request) -> web.StreamResponse:
    """Newline-separated `{"method","params","id"?}` commands in, one reply line each out."""
    commands = decode_legacy(await request.read())
    if commands is None:
        return bad_request()
    executor = request.app[EXECUTOR_KEY]
    lines = []
    for command_id, method, params in commands:
        reply: Reply = (
            await executor.execute(method, params) if method else {"error": error_body(104)}
        )
        lines.append({"id": command_id, **reply} if command_id else reply)
    body = "\n".join(json.dumps(line, separators=(",", ":")) for line in lines)
    return web.Response(body=body.encode(), content_type="application/json")


def decode_legacy(body: bytes) -> list[tuple[int, str, dict[str, Any]]] | None:
    """(id, method name or "" for an unknown number, params) per line; None means 400."""
    commands = []
    for line in filter(bytes.strip, body.split(b"\n")):
        command = decode_object(line)
        if command is None:
            return None
        method = legacy_method(command.get("method", 0))  # absent = enum zero = publish
        params = command.get("params") or {}
        if method is None or not isinstance(params, dict) or not params_valid(params):
            return None
        command_id = command.get("id") or 0
        if not isinstance(command_id, int) or isinstance(command_id, bool):
            return None  # a uint32 in the protobuf schema
        commands.append((command_id, method, params))
    return commands or None


def legacy_method(value: Any) -> str | None:
    """A case-insensitive name decodes or fails (None); any number decodes, unknown ones to ""."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return LEGACY_METHODS[value] if 0 <= value < len(LEGACY_METHODS) else ""
    if isinstance(value, str) and value.lower() in LEGACY_METHODS:
        return value.lower()
    return None


def gate(request: web.Request) -> web.StreamResponse | None:
    """The refusal Centrifugo's middlewares give before any decoding, or None to proceed."""
    config = request.app[CONFIG_KEY]
    if Fault.NON_JSON in config.faults:
        return html_page("Welcome", "<h1>It works!</h1>")  # a web app where the API should be
    if request.method != "POST":
        return empty(405)
    if not authorized(request, config.api_key):
        return empty(401)
    return None


def authorized(request: web.Request, key: str) -> bool:
    """X-API-Key alone decides if present, else `Authorization: apikey KEY`; a query string's
    `api_key` is a last chance even after a wrong header (middleware/auth.go)."""
    if not key:
        return False  # Centrifugo refuses everything and logs "API key is empty"
    header = request.headers.get("X-API-Key", "")
    if header:
        valid = _same(header, key)
    else:
        parts = request.headers.get("Authorization", "").split()
        valid = len(parts) == 2 and parts[0].lower() == "apikey" and _same(parts[1], key)
    if not valid and request.query_string:
        valid = _same(request.query.get("api_key", ""), key)
    return valid


def _same(given: str, key: str) -> bool:
    return hmac.compare_digest(given.encode(), key.encode())


def transport_mode(request: web.Request) -> bool:
    if request.app[CONFIG_KEY].transport_error_mode:
        return True
    return request.headers.get("X-Centrifugo-Error-Mode", "").lower() == "transport"
