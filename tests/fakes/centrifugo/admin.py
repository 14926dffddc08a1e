"""Centrifugo's admin web UI as the emulator serves it (reference §2): the SPA shell at the
prefix root, the JSON probe (`/admin/settings` before v6.5.2, `/admin/init` after), password
login at `/admin/auth` and the token-guarded legacy API at `/admin/api`."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from aiohttp import web

from .config import EmulatorConfig
from .go_http import bad_request, empty, json_reply, not_found
from .http_api import serve_legacy

SPA_SHELL = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"/>'
    '<meta name="viewport" content="width=device-width,initial-scale=1"/>'
    "<title>Centrifugo</title></head><body>"
    "<noscript>You need to enable JavaScript to run this app.</noscript>"
    '<div id="root"></div></body></html>'
)


def version_tuple(version: str) -> tuple[int, int, int]:
    """ "6.9.1 OSS" -> (6, 9, 1); "5.4.9" -> (5, 4, 9)."""
    major, minor, patch = (int(part) for part in version.split()[0].split(".")[:3])
    return major, minor, patch


async def admin_reply(request: web.Request, config: EmulatorConfig) -> web.StreamResponse:
    """The admin handler owns everything under its prefix; unknown files are 404."""
    prefix = config.admin_prefix.rstrip("/")
    path = request.path
    if prefix and path == prefix:
        raise web.HTTPMovedPermanently(prefix + "/")  # Go's ServeMux adds the slash
    if path == prefix + "/":
        return web.Response(body=SPA_SHELL.encode(), content_type="text/html")
    probe = "/admin/init" if version_tuple(config.version) >= (6, 5, 2) else "/admin/settings"
    if path == prefix + probe:
        return probe_reply(request, config)
    if path == prefix + "/admin/auth":
        return await login_reply(request, config) if request.method == "POST" else empty(405)
    if path == prefix + "/admin/api":
        return await admin_api_reply(request, config) if request.method == "POST" else empty(405)
    return not_found()


def probe_reply(request: web.Request, config: EmulatorConfig) -> web.Response:
    body: dict[str, object] = {"edition": "oss", "insecure": False}
    if version_tuple(config.version) >= (6, 7, 0):
        body["authenticated"] = token_valid(config.admin_secret, request_token(request))
    return json_reply(dict(sorted(body.items())), newline=True)  # Go encodes maps sorted


async def login_reply(request: web.Request, config: EmulatorConfig) -> web.Response:
    form = await request.post()
    given = form.get("password", request.query.get("password", ""))
    password, secret = config.admin_password, config.admin_secret
    if not (password and secret) or not isinstance(given, str):
        return bad_request()
    if not hmac.compare_digest(given.encode(), password.encode()):
        return bad_request()
    return json_reply({"token": issue_token(secret)}, newline=True)


async def admin_api_reply(request: web.Request, config: EmulatorConfig) -> web.StreamResponse:
    if not token_valid(config.admin_secret, request_token(request)):
        return empty(401)
    return await serve_legacy(request)


def request_token(request: web.Request) -> str:
    """`Authorization: token X` or `?token=X`, as the admin handlers read it."""
    parts = request.headers.get("Authorization", "").split()
    if len(parts) == 2 and parts[0].lower() == "token":
        return parts[1]
    return request.query.get("token", "")


def issue_token(secret: str) -> str:
    """An HMAC-signed, timestamped token, standing in for gorilla/securecookie's."""
    payload = f"token|{int(time.time())}|authorized"
    return base64.urlsafe_b64encode(f"{payload}|{_mac(secret, payload)}".encode()).decode()


def token_valid(secret: str, token: str) -> bool:
    try:
        payload, _, mac = base64.urlsafe_b64decode(token.encode()).decode().rpartition("|")
    except ValueError:
        return False
    return bool(secret and payload) and hmac.compare_digest(mac, _mac(secret, payload))


def _mac(secret: str, payload: str) -> str:
    return hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()
