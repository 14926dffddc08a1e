"""Slack's response_url webhooks: each named URL takes JSON posts (at most five, as Slack allows),
answers 200 "ok" as text, refuses invalid messages, and can be told to fail (404 expired, 5xx)."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from .blocks import block_errors, decode_blocks
from .journal import Journal

MAX_USES = 5
FAILURE_BODIES = {404: "expired_url", 500: "internal_error"}


class ResponseUrls:
    def __init__(self) -> None:
        self.base = ""  # "http://127.0.0.1:PORT", set once the server listens
        self.responses: dict[str, list[dict[str, Any]]] = {}  # accepted posts, by URL name
        self.attempts: dict[str, int] = {}  # every post, accepted or not
        self.journal: Journal[str] = Journal()  # the name of each accepted post
        self._failures: dict[str, list[int]] = {}

    def url(self, name: str) -> str:
        self.responses.setdefault(name, [])
        return f"{self.base}/response/{name}"

    def fail(self, name: str, status: int = 404, times: int = 1) -> None:
        """Answer the next `times` posts to `name` with `status` (404 = expired, or a 5xx)."""
        self._failures.setdefault(name, []).extend([status] * times)

    async def handle(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        self.attempts[name] = self.attempts.get(name, 0) + 1
        body = await request.text()
        status, text = self._refusal(name, body)
        if status == 200:
            self.responses[name].append(json.loads(body))
            self.journal.add(name)
        return web.Response(status=status, text=text)

    async def wait_for_response(
        self,
        name: str,
        count: int = 1,
        timeout: float = 5,  # noqa: ASYNC109
    ) -> list[dict[str, Any]]:
        def arrived(_: list[str]) -> list[dict[str, Any]] | None:
            posts = self.responses.get(name, [])
            return posts if len(posts) >= count else None

        return await self.journal.wait(arrived, timeout, f"{count} post(s) to response_url {name}")

    def _refusal(self, name: str, body: str) -> tuple[int, str]:
        """(200, "ok") when Slack would accept `body`, else the status and text it answers."""
        if self._failures.get(name):
            status = self._failures[name].pop(0)
            return status, FAILURE_BODIES.get(status, "service_unavailable")
        if name not in self.responses or len(self.responses[name]) >= MAX_USES:
            return 404, "expired_url"
        try:
            message = json.loads(body)
            blocks = decode_blocks(message.get("blocks"))
        except (ValueError, AttributeError):
            return 400, "invalid_payload"
        if not (message.get("text") or blocks or message.get("delete_original")):
            return 400, "no_text"
        if blocks and block_errors(blocks):
            return 400, "invalid_blocks"
        return 200, "ok"
