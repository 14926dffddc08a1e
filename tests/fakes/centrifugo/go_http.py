"""Replies shaped like Go's net/http helpers (`http.Error`, `http.NotFound`) and Centrifugo's
JSON writes, so the emulator's status lines, headers and bodies match a real server's."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web


def go_error(status: int, text: str, *, newline: bool = True) -> web.Response:
    """`http.Error(w, text, status)`: text/plain, nosniff, and a trailing newline."""
    return web.Response(
        status=status,
        body=(text + ("\n" if newline else "")).encode(),
        headers={
            "Content-Type": "text/plain; charset=utf-8",
            "X-Content-Type-Options": "nosniff",
        },
    )


def not_found() -> web.Response:
    return go_error(404, "404 page not found")


def bad_request() -> web.Response:
    return go_error(400, "Bad Request")


def empty(status: int) -> web.Response:
    """`w.WriteHeader(status)` alone: no body, no content type (401 and 405 look like this)."""
    return web.Response(status=status)


def json_reply(value: Any, *, status: int = 200, newline: bool = False) -> web.Response:
    """Exactly `application/json` (no charset), compact; `newline` mimics json.Encoder."""
    text = json.dumps(value, separators=(",", ":")) + ("\n" if newline else "")
    return web.Response(status=status, body=text.encode(), content_type="application/json")


def html_page(title: str, body: str) -> web.Response:
    page = f"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>"
    return web.Response(status=200, body=page.encode(), content_type="text/html")
